"""A prose view of Markdown, MDX, HTML and reStructuredText: what a reader reads, at the offsets
where the writer wrote it.

Checks find problems in prose, but newsrooms keep copy in Markdown and HTML (and docs teams in
MDX and reStructuredText), and a report
(or a CI annotation) has to point into the file as written. So we never extract the prose
into a new string: :func:`prose_view` returns a string of **exactly the source's length**
in which everything that is not prose is replaced by spaces. Line breaks (``\\n``, ``\\r``)
are kept as they are, so every offset, line and column into the view is also an offset,
line and column into the source, and the checks need to know nothing about markup.

What is blanked:

* front matter (a YAML ``---`` block or a TOML ``+++`` block at the top, after blank lines
  only), but for its ``title`` written on one line, which static site generators show as the
  page's headline: that is read as the first heading, unless the body's first heading says the
  same words;
* fenced and indented code blocks, inline code, ``<pre>``/``<code>``/``<kbd>``/``<samp>``,
  ``<script>``/``<style>``/``<template>``/``<svg>``/``<math>`` contents, and ``<title>``
  (it repeats the headline with the site name; the first heading is the title);
* URLs: link destinations and titles, autolinks, images (alt text included; one inside a
  sentence reads as one word, below) and bare URLs and e-mail addresses found by linkify-it
  in the prose. A bare domain without a scheme is blanked only when written in lower case
  ("newsydron.com"), so a missing space in "the war.It was" stays visible to the grammar check;
* HTML tags, attributes and comments, and note references (a ``<sup>`` that holds a link to a
  place in the page, or such a link that holds a ``<sup>``: "Android,[13]"); Markdown
  reference definitions and thematic breaks;
* in Markdown, the template tags of static site generators (Hugo's shortcodes, Liquid's and
  Nunjucks' tags: :mod:`~service.markup.templates`): one inside a sentence reads as one word,
  a ``highlight`` listing is a code block and a Liquid comment nothing, as are attribute
  lists (``## Install {#install}``, ``{: .note}``, ``{ .md-button }``, Pandoc's
  ``![](a.png){width=80%}`` and the brackets of its span ``[stub]{.smallcaps}``) and the lines
  that pull in a snippet (``--8<-- "file.md"``);
* in Markdown, display math (``$$`` lines, read as code) and what Sphinx's MyST adds
  (:mod:`~service.markup.myst`): roles, a directive's options, comments, targets, block
  breaks; a directive written as a fence whose body is prose (```` ```{note} ````) is read as
  its blocks;
* Markdown syntax: heading ``#``\\ s and setext underlines, emphasis and strikethrough
  markers, list markers, blockquote ``>``, table pipes and delimiter rows, link brackets
  (the link *text* is prose; a reference whose label the file does not define is a link too,
  as a docs site's cross-reference is: ``[Unpack][typing.Unpack]``), the backslash of an
  escape (the escaped character is kept), GitHub's footnote references (``[^1]``) and the
  labels of their definitions, and the marker lines of docs sites' call-out boxes (MkDocs'
  ``!!! note "Title"``, whose title is prose, and the ``:::tip`` containers of Docusaurus and
  VitePress), of GitHub's alerts (a quotation that opens with ``[!NOTE]``), the marker of
  Obsidian's callouts (``> [!tip] Title``, whose title is a block of prose) and of content
  tabs (``=== "Python"``, whose body is read as blocks).

Inline code, formulas and URLs (bare, autolinks, ``<code>``, ``<kbd>``, ``<samp>``, ``<math>``),
which a reader reads as one word each, leave one ``segments.MASKED_WORD`` at their first
position: it counts as a word and lets a sentence open with one. So does an image that stands
inside a block's prose (a formula drawn as an ``<img>``, the icon of "click the
![gear](gear.png) icon"), and so does a Markdown link with no text (Quarto's interlinks,
"[](`~pkg.Class`)", show the object's name); one alone in its block or at its edge (a badge, a
figure, an anchor) is nothing. Markup inside a word (a drop capital's
``<span>Z</span>imbabwe``, ``21<sup>st</sup>``, ``foo**bar**baz``) is written as
``segments.JOINER`` characters, across which the word goes on.

**Entities** (``&amp;``, ``&#8212;``) are decoded in place: the character they stand for is
written at the entity's first position and the rest of it is blanked, so "Tom &amp; Jerry"
reads "Tom &     Jerry"; inside a word the rest is ``segments.JOINER`` characters, so
"it&rsquo;s" stays one word. An HTML reference without ``;`` takes only what the decoder reads
("&notyou" is "¬" and the prose "you"). An unknown entity is left as written. One that
decodes to a line break (``&#10;``) reads as a space: lines are the source's own.

**Block boundaries.** Newlines are kept, so blank lines still separate paragraphs, and a
heading or list item ends at its line break. A single line break is a sentence boundary
for copydesk's own sentence splitter unless the next line starts in lower case.

**LanguageTool reads the source as annotated text** (``ProseView.annotation``, its ``data``
parameter): prose as written, markup (the spaces in a tag or a link's title too)
``interpretAs`` what a reader sees in its place (a decoded entity, a placeholder word for
inline code and URLs, nothing inside a block, a paragraph break between blocks), so its
offsets point into the source and it never judges a sentence with a word cut out. In HTML a
run of spaces and tabs, across tags too, reads as the one space a browser shows.

**Links.** The readers record where the text of each link stands (``ProseView.links``): a list
item is a headline only as a link's text (a "Read also" list). Those to a place in the same
document they record apart too (``ProseView.in_document_links``: ``href`` starting with ``#``,
or empty, as :func:`~service.markup.view.in_document` says for both, and any link with a
heading's words, as a table of contents that names the page's own file writes them): a table
of contents' entries repeat its headings' words, which the repetition rules must not read as
pasted copy, and are no headlines. An HTML one that shows only a permalink mark ("¶") reads
as nothing.

**Table cells, list items and captions.** They also record where each table cell's and each
list item's text stands (``ProseView.table_cells``, ``ProseView.list_items``; in HTML a cell or
item left open ends where the next one, or its row or list, starts or ends; an HTML description
list's term, the label of the description beside it, is recorded as a cell): the clarity
measures leave cells out of the prose's sentences, and items out of runs of sentences that start
alike. The HTML reader records captions (``ProseView.captions``: ``<figcaption>``, a table's
``<caption>``), which are neither headlines nor pasted copy when they repeat a credit.

**Suppression comments** (``<!-- copydesk-disable style -->`` ... ``<!-- copydesk-enable -->``)
become ranges; see :mod:`service.markup.directives`.

The modules follow the data: ``markdown`` (Markdown, and MDX: Markdown with JSX, whose imports,
tags and expressions are markup), ``html`` and ``rst`` read (:mod:`~service.markup.rst` says
what reStructuredText reads as: the list above is Markdown's and HTML's), ``view`` holds
the canvas they write on and what all end with, ``directives`` reads the comments. ``plain`` reads plain text,
whose prose view is the text itself: it only finds its list items (lines that open with a bullet
or a number) and table cells (between the pipes of a line that opens and closes with one),
which the checks treat as they do a Markdown or HTML list's and table's.
"""

from __future__ import annotations

from .html import read_html
from .markdown import holds_mdx, read_markdown, read_mdx
from .plain import read_plain
from .rst import read_rst
from .view import FORMATS, Format, ProseView, Unreadable

__all__ = ["FORMATS", "Format", "ProseView", "Unreadable", "holds_mdx", "prose_view"]


def prose_view(source: str, fmt: str) -> ProseView:
    """The prose view of ``source`` read as ``fmt`` (one of :data:`FORMATS`); :class:`Unreadable`
    if it cannot be read so (reStructuredText that nests too deep for docutils)."""
    if fmt == "text":
        return read_plain(source)
    if fmt == "markdown":
        return read_markdown(source)
    if fmt == "mdx":
        return read_mdx(source)
    if fmt == "html":
        return read_html(source)
    if fmt == "rst":
        return read_rst(source)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
