"""Template tags in the Markdown that static site generators build pages from: Hugo's shortcodes
(``{{< figure src="x.jpg" >}}``, ``{{% alert %}}``), Liquid's and Nunjucks' tags, output and
comments (Jekyll, Eleventy: ``{% include note.html %}``, ``{{ site.title }}``, ``{# note #}``);
the attribute lists that their Markdown readers take (Goldmark's ``## Install {#install}`` and
``{.lead}``, kramdown's ``{: .note}`` and ``{:toc}``, Python-Markdown's
``[Start](start.md){ .md-button }``, Pandoc's ``![](a.png){width=80%}``, and the brackets of
Pandoc's spans, ``[stub]{.smallcaps}``, that Quarto and R Markdown pages use); and the lines of
MkDocs' snippets that pull in a file (``--8<-- "CHANGELOG.md"``); and the emoji and icon
shortcodes of GitHub and MkDocs (``:tada:``, ``:material-play:``), which show a picture.

A site shows what a tag makes, never the tag, so the Markdown reader reads each as markup: one
that stands inside a sentence as one word (a version, a link: "Install {{< param "version" >}}
now"), one alone or at the edge of its block as nothing. The text between a ``highlight`` tag
and its end (Hugo's and Jekyll's code listing), a pair's tags that name the language of their
code (``{{< tab lang="toml" >}}``) or a Docsy tab inside its ``tabpane`` that does not say
``text=true``, is code, and between Liquid's ``comment`` and ``endcomment`` nothing at all, as
an attribute list and a snippet's line are. A tag never runs past a blank line, and every
search is a bisection into positions found in one pass, so a text of unclosed openers stays
linear.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

# Each opener and the closer that ends its tag; the regular expression tries the longer first.
_CLOSERS = {"{{<": ">}}", "{{%": "%}}", "{{": "}}", "{%": "%}", "{#": "#}"}
_OPENER = re.compile(r"\{\{[<%]|\{\{|\{%|\{#")
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")
# The tag's name, after Liquid's "-" (whitespace control) and spaces: "/name" closes a Hugo
# pair. A tag written out, not run (Hugo's "{{</* figure */>}}"), is named "/" and pairs with none.
_NAME = re.compile(r"[-\s]*(/?[\w./-]*)")
# Pairs whose contents are not prose: a code listing (Hugo's and Jekyll's ``highlight``, and any
# pair that names the language of its code, as Docsy's tabs do: ``{{< tab lang="toml" >}}``),
# and a Liquid comment. Hugo closes a pair with "/name", Liquid with "endname".
_CODE = "highlight"
_LANGUAGE = re.compile(r"\slang\s*=")
# Docsy's tabs: a "tab" inside a "tabpane" holds code, highlighted, unless it or else its pane
# says "text=true" (its layouts/_shortcodes/tabpane.html); other themes' tabs hold prose.
_TAB, _TAB_PANE = "tab", "tabpane"
_TEXT = re.compile(r"\stext\s*=\s*\"?(\w+)")
_UNSEEN = "comment"
# An attribute list: "{#id", "{.class", "{ .class", "{:toc" or "{: .class" up to its "}" (not a
# Nunjucks comment's "#}", nor "{ ... }" or "{.5}"); right after an image, a link, a span or
# inline code, Pandoc's (Quarto's, R Markdown's) may open with a key: "![](a.png){width=80%}".
# Each "{" is one try, which ends at the next brace or line break.
_LIST_END = r"[^{}\n]*(?<!#)\}"
_ATTRIBUTES = re.compile(
    rf"\{{(?::[ \t]*[\w#.]|[ \t]*[#.][A-Za-z_-]){_LIST_END}|(?<=[)\]`])\{{[ \t]*[A-Za-z_][\w-]*[ \t]*={_LIST_END}"
)
# Pandoc's bracketed span, "[stub]{.smallcaps}", shows its text: its brackets are markup when an
# attribute list follows them. The text holds no bracket, so the tries never overlap.
_SPAN = re.compile(r"\[[^\[\]\n]*\](?=\{)")
# An emoji or icon shortcode, which GitHub and MkDocs (pymdownx.emoji) show as a picture:
# ":tada:", ":material-play:", ":octicons-arrow-right-24:". A name opens with a letter, and no
# word or colon touches it, so "10:30:45" and "key:value:other" stay text.
_SHORTCODE = re.compile(r"(?<![\w:]):[a-z][a-z0-9_+-]*:(?![\w:])")
# A line of MkDocs' snippets (pymdownx.snippets): "--8<--", and the file it pulls in.
_SNIPPET = re.compile(r"^[ \t]*-+8<-+[ \t]*(?:\"[^\"\n]*\"|'[^'\n]*')?[ \t]*$", re.MULTILINE)


@dataclass
class TemplateTags:
    """Where the template tags of a source stand: ``tags`` read as markup, ``code`` (a listing
    from its opening tag to its closing one) and ``unseen`` (a comment, the same, an attribute
    list, a snippet's line) as nothing."""

    tags: list[tuple[int, int]] = field(default_factory=list)
    code: list[tuple[int, int]] = field(default_factory=list)
    unseen: list[tuple[int, int]] = field(default_factory=list)


def find_template_tags(source: str) -> TemplateTags:
    """Where the tags, listings, comments, attribute lists and snippet lines of ``source`` stand."""
    found = TemplateTags()
    if "{" in source:
        _pair(_tags(source), found)
        attributes = [m.span() for m in _ATTRIBUTES.finditer(source)]
        lists = {start for start, _ in attributes}
        for span in _SPAN.finditer(source):
            if span.end() in lists:
                found.unseen += [(span.start(), span.start() + 1), (span.end() - 1, span.end())]
        found.unseen += attributes
    found.unseen += [m.span() for m in _SNIPPET.finditer(source) if m.end() > m.start()]
    if ":" in source:
        taken = sorted((*found.tags, *found.code, *found.unseen))  # spans may hold others
        starts = [start for start, _ in taken]
        reach = list(itertools.accumulate((end for _, end in taken), max))  # the furthest end so far
        for shortcode in _SHORTCODE.finditer(source):  # one inside a tag or a listing is the tag's
            n = bisect.bisect_right(starts, shortcode.start()) - 1
            if n < 0 or reach[n] <= shortcode.start():
                found.tags.append(shortcode.span())
    return found


def _tags(source: str) -> list[tuple[int, int, str, bool]]:
    """Each template tag of ``source`` in order: (start, end, name, whether a pair of it holds code)."""
    closers = {closer: [m.start() for m in re.finditer(re.escape(closer), source)] for closer in set(_CLOSERS.values())}
    breaks = [m.start() for m in _BLANK_LINE.finditer(source)]
    tags: list[tuple[int, int, str, bool]] = []
    pane_text: bool | None = None  # inside a tabpane: whether its tabs hold text (else None)
    at = 0
    while (opener := _OPENER.search(source, at)) is not None:
        closer = _CLOSERS[opener.group()]
        positions = closers[closer]
        n = bisect.bisect_left(positions, opener.end())
        paragraph_end = breaks[b] if (b := bisect.bisect_left(breaks, opener.start())) < len(breaks) else len(source)
        if n == len(positions) or positions[n] + len(closer) > paragraph_end:
            at = opener.end()
            continue
        end = positions[n] + len(closer)
        name = (found_name.group(1).lower() if (found_name := _NAME.match(source, opener.end(), end)) else "")
        closes_itself = source[positions[n] - 1] == "/"  # "{{< tab lang="go" />}}" opens no pair
        text = _TEXT.search(source, opener.end(), end)
        says_text = None if text is None else text.group(1).lower() == "true"
        if name in (_TAB_PANE, "/" + _TAB_PANE):
            pane_text = (says_text or False) if name == _TAB_PANE and not closes_itself else None
        holds_text = pane_text if says_text is None else says_text  # the tab's own say, else its pane's
        in_pane_code = name == _TAB and pane_text is not None and not holds_text
        code = not closes_itself and (
            name == _CODE or in_pane_code or _LANGUAGE.search(source, opener.end(), end) is not None
        )
        tags.append((opener.start(), end, name, code))
        at = end
    return tags


def _pair(tags: list[tuple[int, int, str, bool]], found: TemplateTags) -> None:
    """Sort ``tags`` into lone tags and the regions of code and comment pairs: an opening tag of a
    pair takes everything up to the first closing tag of its name after it; one never closed
    is a lone tag."""
    where: dict[str, list[int]] = {}
    for n, (_, _, name, _) in enumerate(tags):
        where.setdefault(name, []).append(n)

    def closing(n: int, name: str) -> int | None:
        following = []
        for closer in ("/" + name, "end" + name):
            indices = where.get(closer, [])
            i = bisect.bisect_right(indices, n)
            if i < len(indices):
                following.append(indices[i])
        return min(following, default=None)

    n = 0
    while n < len(tags):
        start, end, name, code = tags[n]
        regions = found.code if code else found.unseen if name == _UNSEEN else None
        last = closing(n, name) if regions is not None and name else None
        if regions is None or last is None:
            found.tags.append((start, end))
            n += 1
        else:
            regions.append((start, tags[last][1]))
            n = last + 1
