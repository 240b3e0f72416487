"""The prose view: same length, same lines, prose where it was, markup blanked, suppressions parsed.

Documents are the real-looking fixtures in ``tests/fixtures/docs`` plus small targeted ones.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it.parser_inline import ParserInline
from markdown_it.rules_inline import StateInline
from support import shown_sentences

from service.checks import unsuppressed
from service.checks.clarity.adverbs import adverbs
from service.checks.clickbait import body_headlines
from service.checks.grammar import MARKUP_DISABLED_RULES
from service.checks.readability import ADDRESS_READS_AS, for_textstat
from service.findings import Annotated, CheckOptions, Document, Finding, Suppression
from service.lt_request import annotated_document
from service.markup import FORMATS, ProseView, Unreadable, prose_view
from service.markup.html import ProseHTMLParser
from service.score_request import build_document
from service.text import segments

DOCS = Path(__file__).parent / "fixtures" / "docs"


def is_suppressed(rule_id: str, check: str, offset: int, suppressions: tuple[Suppression, ...]) -> bool:
    """Whether the checks drop a finding of ``rule_id`` at ``offset`` under these suppressions."""
    finding = Finding(check, rule_id, "", "", "", "warning", "", offset, 1)  # type: ignore[arg-type]
    return not unsuppressed([finding], Document(text="", suppressions=tuple(suppressions)))
SEED_MD = DOCS / "newsroom" / "seed-article.md"
STYLE_NOTES = DOCS / "markup" / "style-notes.md"
BUDGET = DOCS / "markup" / "budget.html"
ALL_DOCS = sorted(p for p in DOCS.rglob("*") if p.suffix in (".md", ".mdx", ".html", ".rst"))


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def fmt_of(path: Path) -> str:
    return {".md": "markdown", ".mdx": "mdx", ".rst": "rst"}.get(path.suffix, "html")


def blank(text: str) -> bool:
    """No prose shown: white space, and at most the mark of a word the reader reads there (code, a URL)."""
    return not text.replace(segments.MASKED_WORD, " ").strip()


def offsets_of(source: str, phrase: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(phrase), source)]


def assert_view_invariants(source: str, view: ProseView) -> None:
    """Same length; line breaks exactly where they were; every other character is either
    blank, the source's own (references are decoded in place: one or two characters at their '&'),
    the mark of a word the reader reads (inline code, a URL: ``segments.MASKED_WORD``) or a
    ``segments.JOINER`` where markup or the rest of a reference stands inside a word."""
    text = view.text
    assert len(text) == len(source)
    assert [i for i, ch in enumerate(text) if ch in "\r\n"] == [i for i, ch in enumerate(source) if ch in "\r\n"]
    for i, ch in enumerate(text):
        if ch not in (" ", source[i], segments.MASKED_WORD, segments.JOINER):
            entity_start = source.rfind("&", 0, i + 1)
            reference = i - entity_start < 2 and re.match("&[#A-Za-z]", source[entity_start:])
            assert reference, (i, ch, source[i - 10 : i + 10])
    if view.title is not None:
        assert view.title_offset is not None
        assert text[view.title_offset : view.title_offset + len(view.title)] == view.title
        assert view.title == view.title.strip()
    for start, end in view.blocks:
        assert 0 <= start < end <= len(text) and text[start:end].strip()


# ---------------------------------------------------------------------------------------------
# Invariants on every fixture
# ---------------------------------------------------------------------------------------------


def test_the_formats() -> None:
    assert FORMATS == ("text", "markdown", "mdx", "html", "rst")


@pytest.mark.parametrize("path", ALL_DOCS, ids=lambda p: p.name)
def test_view_has_the_same_length_lines_and_characters(path: Path) -> None:
    source = read(path)
    assert_view_invariants(source, prose_view(source, fmt_of(path)))


@pytest.mark.parametrize("path", ALL_DOCS, ids=lambda p: p.name)
def test_crlf_documents_keep_offsets(path: Path) -> None:
    source = read(path).replace("\n", "\r\n")
    view = prose_view(source, fmt_of(path))
    assert_view_invariants(source, view)
    lf_view = prose_view(read(path), fmt_of(path))
    assert view.text.replace("\r\n", "\n") == lf_view.text
    assert view.title == lf_view.title


def test_text_is_the_source_itself() -> None:
    source = read(DOCS / "clean" / "notice.txt")
    view = prose_view(source, "text")
    assert view.text is source
    assert (view.title, view.title_offset, view.suppressions) == (None, None, ())


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="markdown"):
        prose_view("hello", "asciidoc")


# ---------------------------------------------------------------------------------------------
# The seed article as Markdown
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[str, ProseView]:
    source = read(SEED_MD)
    return source, prose_view(source, "markdown")


def _front_matter_end(source: str) -> int:
    return source.index("\n---\n", 4) + len("\n---\n")


def _code_block(source: str) -> tuple[int, int]:
    start = source.index("```html")
    return start, source.index("```\n", start + 3) + 3


@pytest.mark.parametrize("phrase", ["left Jinping till the car", "know the meaning"])
def test_seed_phrases_stay_at_their_offsets_in_prose_and_vanish_elsewhere(
    seed: tuple[str, ProseView], phrase: str
) -> None:
    source, view = seed
    front_matter_end = _front_matter_end(source)
    code_start, code_end = _code_block(source)
    kept = blanked = 0
    for at in offsets_of(source, phrase):
        shown = view.text[at : at + len(phrase)]
        if at < front_matter_end or code_start <= at < code_end:
            assert blank(shown), at
            blanked += 1
        else:
            assert shown == phrase, at
            kept += 1
    assert kept >= 3 and blanked >= 2
    # Nothing anywhere else in the view says it: URLs (with the phrase as a slug) are blank.
    slug = phrase.replace(" ", "-").lower()
    assert slug in source.lower() and slug not in view.text.lower()
    assert len(offsets_of(view.text, phrase)) == kept


def test_seed_front_matter_code_block_and_urls_are_blank(seed: tuple[str, ProseView]) -> None:
    source, view = seed
    assert blank(view.text[: _front_matter_end(source)])
    code_start, code_end = _code_block(source)
    assert blank(view.text[code_start:code_end])
    for url in re.findall(r"https://[^)\s]+", source):
        for at in offsets_of(source, url):
            assert blank(view.text[at : at + len(url)])
    # The link text is prose, but it is a bare domain, so it is blanked as a URL too.
    link = source.index("[newsydron.com]")
    assert blank(view.text[link : link + len("[newsydron.com]")])
    assert "Follow for more updates:" in view.text


def test_seed_title_is_the_first_heading(seed: tuple[str, ProseView]) -> None:
    source, view = seed
    headline = read(Path(__file__).parent / "fixtures" / "seed-article.txt").splitlines()[0]
    assert view.title == headline
    assert view.title_offset == source.index("# " + headline) + 2
    assert source[view.title_offset : view.title_offset + len(headline)] == headline


def test_seed_markdown_syntax_is_blank_and_headings_stand_alone(seed: tuple[str, ProseView]) -> None:
    source, view = seed
    for marker in ("\n## ", "\n### ", "\n> ", "\n- [", "\n**"):
        for at in offsets_of(source, marker):
            assert blank(view.text[at : at + len(marker)])
    assert "**" not in view.text and "](" not in view.text and "#" not in view.text
    sentences = {s.of(view.text) for s in segments.sentences(view.text)}
    assert "Jinping told his goal in Moscow" in sentences
    assert "Putin left Jinping till the car" in sentences  # the blockquote
    assert "Read Also:" in sentences
    assert "Similar Posts" in sentences and "Leave a Reply" in sentences


# ---------------------------------------------------------------------------------------------
# Markdown constructs, one by one
# ---------------------------------------------------------------------------------------------


def _view(source: str, fmt: str = "markdown") -> str:
    view = prose_view(source, fmt)
    assert_view_invariants(source, view)
    return view.text


def test_style_notes_blank_toml_front_matter_table_syntax_and_code() -> None:
    source = read(STYLE_NOTES)
    view = prose_view(source, "markdown")
    text = view.text
    assert blank(text[: source.index("+++\n", 3) + 4])
    assert view.title == "Notes for the night desk"
    assert view.title_offset == source.index("Notes for the night desk\n====")
    assert blank(text[source.index("====") : source.index("====") + 24])  # setext underline
    # Inline code and the indented code block.
    inline_code = source.index("`copydesk check stories/`")
    assert blank(text[inline_code : inline_code + 25])
    indented = source.index("    $ copydesk check")
    assert blank(text[indented : source.index("\n\n", indented)])
    # Link text kept, destination and title blank.
    link = source.index("[full guide]")
    assert text[link + 1 : link + 11] == "full guide"
    assert blank(text[link + 11 : source.index(" when in doubt")])
    # Table: cells kept, pipes and delimiter row blank.
    row = source.index("| till the car | to the car |")
    assert text[row : row + 30] == "  till the car   to the car  \n"
    assert blank(text[source.index("|-------") : source.index("|-------") + 23])
    # Emphasis markers blank, words kept.
    assert "  house rules  " in text
    # The HTML block: tags blank, text kept, the address and the entities handled.
    callout = source.index("<p>Questions")
    assert text[callout : callout + 13] == "   Questions "
    assert "desk@example.org" not in text
    assert "<\u2060\u2060\u2060#night-desk>\u2060\u2060\u2060." in text  # an entity's rest joins the next character
    # Autolink and bare URL.
    assert "chat.example.org" not in text and "mailto" not in text
    assert text[source.index("Contact:") :].startswith(f"Contact: {segments.MASKED_WORD} ")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Tom &amp; Jerry &#8212; *fine* \\*stars\\*\n", "Tom &     Jerry —        fine   *stars *\n"),
        ('A [link](http://x.org/the-the "the the title") the end.\n', "A  link" + " " * 40 + "the end.\n"),
        (
            "See [the guide][guide] and [guide].\n\n[guide]: https://x.org/g\n",
            "See  the guide         and  guide .\n\n" + " " * 24 + "\n",
        ),
        ("An ![chart of the results](chart.png) shows it.\n", "An \ufffc" + " " * 34 + "shows it.\n"),
        ("Use `` a`b `` and <kbd>Ctrl</kbd> now.\n", "Use \ufffc         and \ufffc               now.\n"),
        ("Line one\\\nline two  \nend\n", "Line one \nline two  \nend\n"),
        ("1. First step\n2. Second step\n   continued\n", "   First step\n   Second step\n   continued\n"),
        ("> Quoted *words*\n> > nested quote\n", "  Quoted  words \n    nested quote\n"),
        (
            'Text <span class="x">inside</span> <!-- note --> after.\n',
            "Text" + " " * 17 + "inside" + " " * 22 + "after.\n",
        ),
        ("~~gone~~ and ***both***\n", "  gone   and    both   \n"),
        ("---\n\nA thematic break above.\n", "   \n\nA thematic break above.\n"),
        (
            "<script>\nvar s = 'prose?';\n</script>\n\nAfter.\n",
            " " * 8 + "\n" + " " * 17 + "\n" + " " * 9 + "\n\nAfter.\n",
        ),
    ],
    ids=[
        "entities-escapes",
        "link-title",
        "reference-links",
        "image",
        "inline-code-kbd",
        "hard-breaks",
        "ordered-list",
        "blockquotes",
        "inline-html",
        "strikethrough",
        "thematic-break",
        "script-block",
    ],
)
def test_markdown_inline_and_block_syntax(source: str, expected: str) -> None:
    assert _view(source) == expected


def test_yaml_front_matter_only_at_the_top_and_only_when_closed() -> None:
    closed = "---\nauthor: x\n...\nProse.\n"
    assert _view(closed) == "   \n         \n   \nProse.\n"
    unclosed = "---\nNo closing line, so this is prose.\n"
    assert "No closing line" in _view(unclosed)
    later = "Intro.\n\n---\ntitle: x\n---\n"
    assert "title: x" in _view(later)  # a thematic break and a setext heading, not front matter
    # Hugo reads front matter after blank lines, as Docsy's own "Get started" page has it (the
    # page's front matter was a setext heading, its keys the headline, "title" a lower-case start).
    after_blank_lines = "\n \r\n---\nauthor: x\ndescription:\n  A page.\n---\n\nProse.\n"
    assert _view(after_blank_lines) == "\n \r\n   \n         \n            \n         \n   \n\nProse.\n"


@pytest.mark.parametrize(
    ("front_matter", "title"),
    [
        ("---\ntitle: Welcome to Docsy\ndate: 2024-01-02\n---\n", "Welcome to Docsy"),
        ('---\nslug: x\ntitle:   "You won\'t believe it"  # for the card\n---\n', "You won't believe it"),
        ("---\ntitle: 'Say \"when\"'\n---\n", 'Say "when"'),
        ("---\ntitle: C# in ten minutes # a comment\n---\n", "C# in ten minutes"),
        ('+++\ntitle = "Notes for the night desk"\n[params]\ntitle = "no"\n+++\n', "Notes for the night desk"),
        ("\ufeff+++\r\ntitle = 'Literal'\r\n+++\r\n", "Literal"),
    ],
)
def test_the_front_matters_title_is_the_first_heading_where_it_stands(front_matter: str, title: str) -> None:
    source = front_matter + "\nDocsy is a theme for Hugo.\n\n## Install\n\nRun it.\n"
    view = prose_view(source, "markdown")
    at = source.index(title)
    assert (view.title, view.title_offset) == (title, at)
    assert view.headings[0] == view.blocks[0] == (at, at + len(title))
    assert "".join(part.text for part in view.annotation if not part.markup).lstrip().startswith(title)
    assert ("date" not in view.text) and ("slug" not in view.text) and ("no" not in view.text.split())


@pytest.mark.parametrize(
    "front_matter",
    [
        '---\ntitle: "An \\"escaped\\" quote"\n---\n',  # the text is not as it stands in the source
        "---\ntitle: 'it''s'\n---\n",
        "---\ntitle: >-\n  A folded\n  title\n---\n",
        "---\ntitle: [a, list]\n---\n",
        "---\ntitle: ''\n---\n",
        "---\ntitle:\n---\n",
        "---\n  title: indented, so no top-level key\n---\n",
        "+++\ntitle = 12\n+++\n",
        '+++\n[params]\ntitle = "a table\'s"\n+++\n',
        '---\ntitle: "unclosed\n---\n',
    ],
)
def test_a_title_that_is_not_one_line_of_text_as_written_stays_markup(front_matter: str) -> None:
    source = front_matter + "\n## Install\n\nRun it.\n"
    view = prose_view(source, "markdown")
    assert view.title == "Install"
    assert not view.text[: len(front_matter)].strip()


def test_a_body_heading_that_says_the_front_matters_title_is_the_title_and_the_front_matter_stays_markup() -> None:
    source = "---\ntitle: Council approves new  bus routes\n---\n\n# Council approves *new* bus routes\n\nText.\n"
    view = prose_view(source, "markdown")
    assert view.title_offset == source.index("# Council") + 2
    assert len(view.headings) == 1
    assert "title" not in view.text and view.text.count("Council") == 1


def test_the_front_matters_title_is_the_headline_and_checked_where_it_stands(client) -> None:
    """A Hugo or Jekyll page shows its front matter's title as its headline and often has no
    heading of its own: the headline model judged a button's "Learn More" (Docsy's home page) or
    the first subheading, and nothing checked the title's spelling."""
    source = "---\ntitle: You Won't Believe What Teh Theme Can Do\nweight: 2\n---\n\n## Install\n\nRun it.\n"
    report = client.post("/v1/score", json={"format": "markdown", "text": source}).get_json()
    assert report["checks"]["clickbait"]["headline"]["text"] == "You Won't Believe What Teh Theme Can Do"
    found = {issue["rule"]["id"]: issue for section in report["checks"].values() for issue in section["issues"]}
    model, spelling = found["clickbait.model"], found["MORFOLOGIK_RULE_EN_US"]
    assert (model["field"], model["line"], model["column"], model["text"]) == ("text", 2, 8, source.split("\n")[1][7:])
    assert (spelling["line"], spelling["column"], spelling["text"]) == (2, 31, "Teh")


def test_a_code_fence_inside_a_list_and_an_unclosed_fence_are_blank() -> None:
    source = "- Step one:\n\n  ```sh\n  make test\n  ```\n- Step two\n\n```\nnever closed\n"
    text = _view(source)
    assert "make test" not in text and "never closed" not in text
    assert "Step one:" in text and "Step two" in text


def test_html_blank_tags_scripts_styles_code_and_decode_entities() -> None:
    source = read(BUDGET)
    view = prose_view(source, "html")
    text = view.text
    assert view.title == "Council passes a" + " " * 5 + "leaner" + " " * 6 + "budget"
    assert source[view.title_offset :].startswith("Council passes a <em>leaner</em> budget")
    for hidden in ("font-weight", "Metro News", "dataLayer", "know the meaning", "budget/2024.pdf", "href"):
        assert hidden not in text, hidden
    assert text.count("left Jinping") == 1  # the blockquote's, not the script comment's
    assert "city.example.org" not in text  # the link text is a bare domain
    assert "$1.2 billion on Thursday — 3% less than last year." in re.sub(r"\s+", " ", text)
    lede = source.index("The council passed")
    assert text[lede : lede + 18] == "The council passed"
    blockquote = source.index("Putin left Jinping till the car.")
    assert text[blockquote : blockquote + 32] == "Putin left Jinping till the car."
    assert "<" not in text and ">" not in text


@pytest.mark.parametrize(
    ("opener", "fmt"),
    [(opener, "html") for opener in ("<!-- never closed", "<a href='never closed", "</b never closed", "<p never",
                                     "<?pi never", "<!doctype never", "<!bogus never", "<![CDATA[ never")]
    # Markdown's HTML blocks that run to the end of the document (CommonMark's kinds 2 to 5)
    + [(opener, "markdown") for opener in ("<!-- never closed", "<?pi never", "<!DOCTYPE never", "<![CDATA[ never")],
)
def test_a_construct_that_never_ends_is_markup_to_the_end_and_the_prose_before_it_stays(opener: str, fmt: str) -> None:
    source = f"<p>The council met on Tuesday.</p>\n\n{opener} and then words, but no closing angle bracket"
    text = _view(source, fmt)
    assert "The council met on Tuesday." in text
    assert "words" not in text and "bracket" not in text


@pytest.mark.parametrize("comment", ["<!-- ad slot --!>", "<!-->", "<!--->", "<!-- x -->"])
def test_a_comment_ends_where_html_ends_one(comment: str) -> None:
    """html.parser (before Python 3.11.13) ended a comment only at "--" and ">": the article after
    "<!-- ad slot --!>", "<!-->" or "<!--->", which browsers end at once, was read as a comment."""
    text = _view(f"<p>First paragraph.</p>{comment}<p>Second paragraph.</p><p>Third one.</p>", "html")
    assert re.sub(r"\s+", " ", text).strip() == "First paragraph. Second paragraph. Third one."


def test_an_article_in_a_cdata_section_is_read() -> None:
    """WordPress's WXR export writes each post's HTML in a CDATA section: html.parser hid it all,
    and the article scored 100 with no words."""
    source = "<![CDATA[<p>The council met on Monday.</p><p>It voted to raise taxes.</p>]]>\n"
    view = prose_view(source, "html")
    assert re.sub(r"\s+", " ", view.text).strip() == "The council met on Monday. It voted to raise taxes."
    assert [view.text[a:b].strip() for a, b in view.blocks if view.text[a:b].strip()] == [
        "The council met on Monday.", "It voted to raise taxes."
    ]


def test_fallback_content_of_embeds_is_not_prose_and_old_blocks_end_sentences() -> None:
    """What shows only where a page cannot run scripts or play a video was read as the
    article's prose (and got "delete it" from the boilerplate pack); <center>, <menu> and the
    like glued the caption before them to the next sentence ("APThe")."""
    source = (
        "<p>The council met.</p><noscript>Please enable JavaScript to view the comments.</noscript>"
        "<video src='a.mp4'>Your browser does not support the video tag.</video>"
        "<iframe src='x'>No frames.</iframe><center>Photo by AP</center>The mayor spoke."
    )
    view = prose_view(source, "html")
    assert re.sub(r"\s+", " ", view.text).strip() == "The council met. Photo by AP The mayor spoke."
    assert [view.text[a:b] for a, b in view.blocks][-2:] == ["Photo by AP", "The mayor spoke."]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [("<div></div>", "html"), ("<script>var a = 1;</script><!-- x -->", "html"), ("```\ncode\n```\n", "markdown"),
     ("<![CDATA[]]>", "html")],
)
def test_markup_with_no_prose_is_refused_as_a_blank_text_is(client, text: str, fmt: str) -> None:
    """It got a report of no words, scored 100 and passed; a blank plain text gets a 422."""
    response = client.post("/v1/score", json={"text": text, "format": fmt})
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert response.get_json()["errors"] == [
        {"field": "text", "message": f"has no prose to check when read as {fmt} (only markup, code or comments)"}
    ]
    titled = client.post("/v1/score", json={"text": "<h1>Mayor resigns</h1>" + text, "format": "html"})
    assert titled.status_code == 200  # its heading is its headline


def test_markdown_nested_past_what_its_reader_goes_is_refused_not_read_without_its_inside(client) -> None:
    """markdown-it stops at its nesting limit and drops what is inside: at the commonmark
    preset's 20, ten nested lists or twenty nested quotes lost their words without a sign."""
    lists = "".join("  " * depth + f"- item {depth}\n" for depth in range(15))
    assert "item 14" in prose_view(lists, "markdown").text
    quotes = "> " * 40 + "the innermost words\n"
    assert "the innermost words" in prose_view(quotes, "markdown").text
    deep = "Intro.\n\n" + "> " * 120 + "lost words\n"
    with pytest.raises(Unreadable, match="nests deeper than 100 levels"):
        prose_view(deep, "markdown")
    response = client.post("/v1/score", json={"text": deep, "format": "markdown"})
    assert response.status_code == 422 and "nests deeper" in response.get_json()["errors"][0]["message"]


def test_inline_markup_is_read_to_the_presets_nesting_while_blocks_nest_deeper(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Raising the nesting limit for blocks raised it for inline markup too, where each level is
    one more scan of a link's label: a run of "[a][b.c] [d" took 3 to 5 times as long (75 label
    scans a character against 15; counted, not timed). Past the inline limit brackets are text."""
    scans = 0
    scan = ParserInline.skipToken

    def counted(self: ParserInline, state: StateInline) -> None:
        nonlocal scans
        scans += 1
        scan(self, state)

    monkeypatch.setattr(ParserInline, "skipToken", counted)
    text = "[a][b.c] [d" * 300
    prose_view(text, "markdown")
    assert scans < 25 * len(text), f"{scans / len(text):.1f} label scans a character"
    nested = "> " * 60 + "*" * 30 + "deep words" + "*" * 30 + "\n"
    assert "deep words" in prose_view(nested, "markdown").text


def test_an_article_laid_out_in_a_table_cell_is_prose_not_a_cell() -> None:
    """Older CMS pages and newsletters set the whole article in one <td>: read as a table's
    cell, none of its sentences counted for the readability measures."""
    article = "<h2>The vote</h2><p>The council met on Monday.</p><p>It voted to raise taxes.</p>"
    layout = f"<table><tr><td class='content'>{article}</td></tr></table>"
    assert prose_view(layout, "html").table_cells == ()
    two = "<table><tr><td><p>One paragraph.</p><p>And another.</p></td><td><p>Revenue</p></td></tr></table>"
    assert [two[a:b] for a, b in prose_view(two, "html").table_cells] == ["Revenue"]


@pytest.mark.parametrize("declaration", ["<![ x", "<![foo[ x ]]>", "<![if x]>"])
def test_a_marked_section_without_a_known_name_is_a_bogus_comment_not_an_error(declaration: str) -> None:
    """html.parser raised AssertionError on "<![" before a non-name (a 500)."""
    text = _view(f"<p>Before it.</p>{declaration} After it.", "html")
    assert "Before it." in text and "[" not in text and "x" not in text


@pytest.mark.parametrize(
    ("unit", "method"),
    [("<!--", "parse_comment"), ("<p", "parse_starttag"), ("<a b='", "parse_starttag"), ("</a", "parse_endtag"),
     ("<?", "parse_pi"), ("<!x", "parse_html_declaration")],
)
def test_constructs_that_never_end_are_scanned_once_not_once_each(
    monkeypatch: pytest.MonkeyPatch, unit: str, method: str
) -> None:
    """The quadratic html.parser path (CVE-2025-6069): each unterminated construct scanned to the
    end of the data, then the next one from one character further. The timing is bench.hostile's;
    this counts the scans: a few, however many constructs there are."""
    calls = []
    scan = getattr(ProseHTMLParser, method)
    monkeypatch.setattr(ProseHTMLParser, method, lambda self, i, *a: calls.append(i) or scan(self, i, *a))
    prose_view("<p>Prose first.</p>" + unit * 2_000, "html")
    assert 1 <= len(calls) <= 3


def test_html_blocks_follow_block_elements() -> None:
    source = "<ul><li>first item</li><li>second item</li></ul><p>A <b>bold</b> claim.</p>"
    view = prose_view(source, "html")
    assert [view.text[a:b] for a, b in view.blocks] == ["first item", "second item", "A    bold     claim."]


def test_markdown_blocks_separate_list_items_cells_and_headings() -> None:
    source = "# Title\n\n- apples and pears\n- bananas\n\n| a | b |\n|---|---|\n| c | d |\n"
    view = prose_view(source, "markdown")
    assert [view.text[a:b] for a, b in view.blocks] == ["Title", "apples and pears", "bananas", "a", "b", "c", "d"]


@pytest.mark.parametrize("hard_break", ["  ", "\\", "<br>"])
def test_a_markdown_hard_line_break_is_read_as_a_br(hard_break: str) -> None:
    """CommonMark renders two spaces or a backslash at a line's end as <br>: the lines of a
    "Read also" list were one long sentence, where the same list with <br> was three."""
    source = (
        f"Read Also:{hard_break}\nStephen Smith Autopsy Report, What Happened With Him{hard_break}\n"
        f"Twitter updates from March 20\n\nThe road was closed{hard_break}\nbecause of the flood.\n"
    )
    view = prose_view(source, "markdown")
    assert_view_invariants(source, view)
    assert [" ".join(view.text[a:b].split()) for a, b in view.blocks] == [
        "Read Also:", "Stephen Smith Autopsy Report, What Happened With Him", "Twitter updates from March 20",
        "The road was closed because of the flood.",
    ]


def test_both_readers_record_the_text_of_links_to_a_place_in_the_document() -> None:
    """A table of contents' entries (``href`` starting with ``#``, or empty: the page itself, as
    a docs site's breadcrumb names it) are recorded, trimmed to their prose: inline and reference
    links, raw HTML blocks and inline HTML in Markdown, and HTML; links elsewhere, images and
    links inside code are not."""
    markdown = (
        "Contents: [the *intro* part](#intro \"title\") and [ref link here][r], [away](https://a.example/#b),\n"
        "![a picture](#pic) and `[code](#code)`.\n\n"
        "[r]: #ref\n\n"
        "<div><a href=\"#q\">Quebec romeo</a> <a href=\"/page#q\">elsewhere</a></div>\n\n"
        "- <A HREF='#s' title=x>Sierra tango</a> and <a href=\"/u#v\">uniform</a>, <a name=\"#w\">whiskey</a>\n"
    )
    view = prose_view(markdown, "markdown")
    assert [view.text[a:b] for a, b in view.in_document_links] == [
        "the  intro  part", "ref link here", "Quebec romeo", "Sierra tango"
    ]
    html = (
        '<ul><li><a href="#a">Alpha beta gamma</a></li><li><a class="x" href=" #b"><em>Bravo</em> charlie</a></li>'
        '<li><a href="other.html#c">Charlie</a></li><li><a>no href</a></li></ul>'
        '<pre><a href="#z">code</a></pre><p>Back <a href="#">to the top</a>.</p>'
        '<ul class="breadcrumb"><li><a href="../index.html">Docs</a></li><li><a href="">This page</a></li></ul>'
    )
    links = prose_view(html, "html").in_document_links
    assert [html[a:b] for a, b in links] == ["Alpha beta gamma", "Bravo</em> charlie", "to the top", "This page"]
    assert prose_view("[a](#a)", "text").in_document_links == ()


def test_both_readers_record_the_text_of_every_link() -> None:
    """Every link's text is recorded, trimmed to its prose, in-document ones too: inline and
    reference links, raw HTML blocks and inline HTML in Markdown, and HTML. An ``<a>`` with no
    ``href`` is no link, images and links inside code are none; in HTML a link ends where the
    next starts (links do not nest), and one left open goes on to the end, as in a browser."""
    markdown = (
        "See [the *intro* part](#intro \"title\") and [ref link here][r], [away](https://a.example/#b),\n"
        "![a picture](/pic.png) and `[code](/code)`, <https://bare.example/>.\n\n"
        "[r]: /ref\n\n"
        "<div><a href=\"#q\">Quebec romeo</a> <a href=\"/page\">elsewhere</a></div>\n\n"
        "- <A HREF='/s' title=x>Sierra tango</a> and <a name=\"w\">whiskey</a>\n"
    )
    view = prose_view(markdown, "markdown")
    assert [view.text[a:b] for a, b in view.links] == [
        "the  intro  part", "ref link here", "away", "Quebec romeo", "elsewhere", "Sierra tango"
    ]
    html = (
        '<ul><li><a href="/a">Alpha beta</a></li><li><a href="#b"><em>Bravo</em> charlie</a></li>'
        '<li><a>no href</a></li><li><a href="/d">Delta <a href="/e">Echo</a> foxtrot</li></ul>'
        '<pre><a href="/z">code</a></pre><p>Back <a href="/">to the top'
    )
    links = prose_view(html, "html").links
    assert [html[a:b] for a, b in links] == ["Alpha beta", "Bravo</em> charlie", "Delta", "Echo", "to the top"]
    assert prose_view("[a](/a)", "text").links == ()


def test_both_readers_record_the_text_of_table_cells() -> None:
    """Header and data cells are recorded, trimmed to their prose, in Markdown tables, raw HTML
    tables in Markdown and HTML, where a cell left open (HTML may omit ``</td>``) ends at the next
    cell, row or the table's end; paragraphs, list items and captions are not cells, an HTML
    description list's terms are."""
    markdown = (
        "Before the table.\n\n| Team | Score |\n|---|---|\n| *Lions* | 3 |\n\n- a list item\n\n"
        "<table><caption>Results</caption><tr><th>Away<td>Tigers<td><p>two goals</p></table>\n\nAfter.\n"
    )
    view = prose_view(markdown, "markdown")
    assert [view.text[a:b] for a, b in view.table_cells] == [
        "Team", "Score", "Lions", "3", "Away", "Tigers", "two goals"
    ]
    html = (
        "<p>Intro line.</p><table><thead><tr><th>Name</th><th> Role </th></tr></thead>"
        "<tbody><tr><td>Ann<td>Editor<tr><td>Bo</td><td>Writer</tbody></table><ul><li>Not a cell</ul>"
        "<table><tr><td>Open at the end"
    )
    cells = prose_view(html, "html").table_cells
    assert [html[a:b] for a, b in cells] == ["Name", "Role", "Ann", "Editor", "Bo", "Writer", "Open at the end"]
    # A description list's term is the label of its description, as a header cell is of its
    # column (one left open ends at its description or the next term); one in a cell is the cell's.
    terms = (
        "<dl><dt>core.editor</dt><dd><p>The editor to use.</p></dd><dt>optional:<dt>aside:<dd>Notes.</dl>"
        "<table><tr><td><dl><dt>inside</dt><dd>a cell</dd></dl></td></tr></table>"
    )
    cells = prose_view(terms, "html").table_cells
    assert [terms[a:b] for a, b in cells] == ["core.editor", "optional:", "aside:", "inside</dt><dd>a cell"]


def test_plain_texts_lines_between_pipes_are_table_rows() -> None:
    """Plain text has no markup, but a line that opens and closes with a pipe is a table's row (a
    scraper's text output writes tables so): its cells are the text between the pipes, trimmed;
    a pipe escaped with a backslash stays in its cell, and an empty cell or a delimiter row's has
    none. A tree drawn with pipes and a title with a site's name after a bar are no rows."""
    text = (
        "| Constituency | Member  |  | \n|---|:--:|---|\n|   Ashfield | Lee Anderson | About \\| Contact |\n"
        "|-- bin/\n|   |-- python\nLess is more | The Site\n| Left open\n"
    )
    view = prose_view(text, "text")
    assert view.text == text
    assert [text[a:b] for a, b in view.table_cells] == [
        "Constituency", "Member", "Ashfield", "Lee Anderson", "About \\| Contact"
    ]


def test_plain_texts_lines_that_open_with_a_bullet_or_a_number_are_list_items() -> None:
    """Plain text has no markup, but a line that opens with a bullet or a number of up to three
    digits is a list item (marker included: a sentence of plain text starts there), and an
    indented line after it goes on with it. A year, a negative number and a dash inside a line
    open no item."""
    text = (
        "The nominees:\n- Luke Bryan\n* Eric Church\n  and his band\n\u2022 Carrie Underwood\n"
        "1. First\n12) Twelfth\n2020. That was the year.\n-5C tonight, said the - forecast.\n"
    )
    view = prose_view(text, "text")
    assert view.text == text
    assert [text[a:b] for a, b in view.list_items] == [
        "- Luke Bryan", "* Eric Church\n  and his band", "\u2022 Carrie Underwood", "1. First", "12) Twelfth"
    ]


def test_both_readers_record_the_text_of_captions() -> None:
    """A figure's and a table's captions are recorded, trimmed to their prose, in HTML and in raw
    HTML in Markdown; one left open ends with its figure or where its table's rows start. A
    paragraph after a figure and a table's cells are no captions."""
    markdown = (
        "Before.\n\n<figure><img src=a.jpg><figcaption> Photo by <b>Ann</b> </figcaption></figure>\n\n"
        "| a | b |\n|---|---|\n| c | d |\n"
    )
    view = prose_view(markdown, "markdown")
    assert [markdown[a:b] for a, b in view.captions] == ["Photo by <b>Ann"]
    html = (
        "<figure><img src=a.jpg><figcaption>Can you spot it?</figcaption></figure><p>After it.</p>"
        "<figure><figcaption>Left open</figure><p>Not a caption.</p>"
        "<table><caption>Results<tr><td>Lions</td></tr></table>"
    )
    captions = prose_view(html, "html").captions
    assert [html[a:b] for a, b in captions] == ["Can you spot it?", "Left open", "Results"]
    assert prose_view("<figcaption>a</figcaption>", "text").captions == ()


def test_both_readers_record_the_text_of_list_items() -> None:
    """Each list item's text is recorded, a nested list's items on their own, in Markdown (loose
    items' every paragraph), raw HTML in Markdown and HTML, where an item left open (HTML may
    omit ``</li>``) ends at the next item, a nested list or the list's end."""
    markdown = (
        "Intro.\n\n- If *one*\n- If two\n  1. nested\n\n  more of two\n\nBetween.\n\n"
        "<ol><li>Raw one<li>Raw two</ol>\n"
    )
    view = prose_view(markdown, "markdown")
    assert [view.text[a:b] for a, b in view.list_items] == [
        "If  one", "If two", "nested", "more of two", "Raw one", "Raw two"
    ]
    html = "<p>Intro.</p><ul><li>First<li>Second<ul><li>Child</li></ul></li></ul><p>After.</p><ol><li>Open"
    items = prose_view(html, "html").list_items
    assert [html[a:b] for a, b in items] == ["First", "Second", "Child", "Open"]



# ---------------------------------------------------------------------------------------------
# Block boundaries stay sentence boundaries
# ---------------------------------------------------------------------------------------------


def test_headings_and_list_items_without_punctuation_do_not_glue_onto_the_next_block() -> None:
    source = (
        "# Council votes on new routes\n"
        "The council voted on Tuesday.\n\n"
        "## What changes\n\n"
        "- Route 14 every ten minutes\n"
        "- Route 22 to the clinic\n\n"
        "Riders can call the agency.\n\n"
        "<h2>In brief</h2>\n"
        "<p>Three routes start in September</p>\n"
    )
    view = prose_view(source, "markdown")
    sentences = [s.of(view.text) for s in segments.sentences(view.text)]
    assert sentences == [
        "Council votes on new routes",
        "The council voted on Tuesday.",
        "What changes",
        "Route 14 every ten minutes",
        "Route 22 to the clinic",
        "Riders can call the agency.",
        "In brief",
        "Three routes start in September",
    ]


# ---------------------------------------------------------------------------------------------
# Suppression comments
# ---------------------------------------------------------------------------------------------


def test_style_notes_suppressions() -> None:
    source = read(STYLE_NOTES)
    view = prose_view(source, "markdown")
    disable = source.index("<!-- copydesk-disable translationese grammar -->")
    enable = source.index("<!-- copydesk-enable -->")
    assert view.suppressions == (
        Suppression(0, len(source), ("clickbait.curiosity-gap",)),
        Suppression(disable, enable, ("translationese", "grammar")),
    )
    example = source.index("Putin left Jinping till the car.")
    assert is_suppressed("translationese.till.place", "phrasing", example, view.suppressions)
    assert is_suppressed("MORFOLOGIK_RULE_EN_US", "grammar", example, view.suppressions)
    assert not is_suppressed("style.wordy", "phrasing", example, view.suppressions)
    after = source.index("The sentence above")
    assert not is_suppressed("translationese.till.place", "phrasing", after, view.suppressions)
    # The file-wide one, anywhere; the directive inside the fenced code block is not one.
    assert is_suppressed("clickbait.curiosity-gap.know-the-meaning", "clickbait", after, view.suppressions)
    assert not is_suppressed("clickbait.model", "clickbait", after, view.suppressions)


def test_html_suppressions() -> None:
    source = read(BUDGET)
    view = prose_view(source, "html")
    disable = source.index("<!-- copydesk-disable phrasing -->")
    enable = source.index("<!-- copydesk-enable phrasing -->")
    assert view.suppressions == (
        Suppression(0, len(source), ("readability",)),
        Suppression(disable, enable, ("phrasing",)),
    )


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_disable_without_enable_runs_to_the_end_and_blanket_disable_covers_everything(fmt: str) -> None:
    source = "<p>Before.</p>\n\n<!-- copydesk-disable -->\n\n<p>After, to the end.</p>\n"
    view = prose_view(source, fmt)
    start = source.index("<!--")
    assert view.suppressions == (Suppression(start, len(source), ()),)
    after = source.index("After")
    assert is_suppressed("ANY_RULE", "grammar", after, view.suppressions)
    assert not is_suppressed("ANY_RULE", "grammar", source.index("Before"), view.suppressions)


def test_named_enable_ends_only_what_it_names() -> None:
    source = (
        "One.\n\n<!-- copydesk-disable style, grammar -->\n\nTwo.\n\n"
        "<!-- copydesk-enable style -->\n\nThree.\n\n<!-- copydesk-disable -->\n\nFour.\n\n"
        "<!-- copydesk-enable grammar -->\n\nFive.\n"
    )
    view = prose_view(source, "markdown")
    at = {word: source.index(word) for word in ("One", "Two", "Three", "Four", "Five")}

    def off(rule: str, check: str, word: str) -> bool:
        return is_suppressed(rule, check, at[word], view.suppressions)

    assert not off("style.x", "phrasing", "One")
    assert off("style.x", "phrasing", "Two") and off("R", "grammar", "Two")
    assert not off("style.x", "phrasing", "Three") and off("R", "grammar", "Three")
    assert off("style.x", "phrasing", "Four")
    # enable grammar ends the grammar range but not the blanket one opened after it.
    assert off("R", "grammar", "Five") and off("style.x", "phrasing", "Five")


def test_directives_in_code_are_not_directives() -> None:
    source = "Text.\n\n```\n<!-- copydesk-disable -->\n```\n\nInline `<!-- copydesk-disable -->` too.\n"
    assert prose_view(source, "markdown").suppressions == ()


def test_other_comments_are_not_directives() -> None:
    source = "<!-- copydesk-disabled -->\n<!-- TODO: copydesk-disable -->\n<p>Text.</p>"
    assert prose_view(source, "html").suppressions == ()


@pytest.mark.parametrize(
    ("selector", "rule_id", "check", "expected"),
    [
        ("grammar", "MORFOLOGIK_RULE_EN_US", "grammar", True),
        ("phrasing", "style.wordy", "phrasing", True),
        ("style", "style.wordy", "phrasing", True),
        ("translationese.till", "translationese.till.place", "phrasing", True),
        ("translationese.till.place", "translationese.till.place", "phrasing", True),
        ("translationese.ti", "translationese.till.place", "phrasing", False),
        ("translation", "translationese.till.place", "phrasing", False),
        ("UPPERCASE_SENTENCE_START", "UPPERCASE_SENTENCE_START[2]", "grammar", True),
        ("UPPERCASE", "UPPERCASE_SENTENCE_START", "grammar", False),
        ("grammar", "style.wordy", "phrasing", False),
        ("readability", "readability.hard-sentence", "readability", True),
    ],
)
def test_selectors_in_suppression_comments(selector: str, rule_id: str, check: str, expected: bool) -> None:
    suppressions = (Suppression(10, 20, (selector,)),)
    assert is_suppressed(rule_id, check, 15, suppressions) is expected
    assert not is_suppressed(rule_id, check, 20, suppressions)
    assert not is_suppressed(rule_id, check, 9, suppressions)


# ---------------------------------------------------------------------------------------------
# Annotated text: what LanguageTool reads
# ---------------------------------------------------------------------------------------------


def reads(source: str, fmt: str) -> str:
    """What LanguageTool reads of the annotated text: prose as written, markup as interpreted."""
    annotation = prose_view(source, fmt).annotation
    assert "".join(part.text for part in annotation) == source  # the parts are the source, in order
    return "".join(part.interpret_as if part.markup else part.text for part in annotation)


@pytest.mark.parametrize(
    ("source", "fmt", "expected"),
    [
        ("`api` waits for the server.", "markdown", "Dummy0 waits for the server."),
        ("Send a `title` if you have one, or `two`.", "markdown", "Send a Dummy0 if you have one, or Dummy1."),
        ("Run `make`. Then wait.", "markdown", "Run Dummy0. Then wait."),
        ("- item one\n- item two\n", "markdown", "\n\nitem one\n\n\nitem two\n"),
        ("See [the guide](https://x.org) today.", "markdown", "See the guide today."),
        ("Visit https://example.com today.", "markdown", "Visit Dummy0 today."),
        ("Then open <http://127.0.0.1:8000/>. Or mail <a@b.example>.", "markdown", "Then open Dummy0. Or mail Dummy1."),
        ("Line one<br>line two<BR class=x>three.", "markdown", "Line one line two three."),
        ("Press <kbd>Enter</kbd> or <code>a<br>b</code>.", "markdown", "Press Dummy0 or Dummy1."),
        ("Tom &amp; Jerry", "markdown", "Tom & Jerry"),
        ("**Bold** start and *end*.", "markdown", "\n\nBold start and end."),
        ("# Heading\n\nBody text.", "markdown", "\n\nHeading\n\nBody text."),
        ('The [new bridge](https://x.org/b "Bridge") opens.', "markdown", "The new bridge opens."),
        ('The <span class="x">new bridge</span> opens.', "markdown", "The new bridge opens."),
        ('<p>The <a href="/b" title="Bridge">new bridge</a> opens.</p>', "html", "\n\nThe new bridge opens.\n\n"),
        ("<p>One</p><p>Two &#8212; three</p>", "html", "\n\nOne\n\nTwo — three\n\n"),
        ("<p>A <code>x()</code> b</p>", "html", "\n\nA Dummy0 b\n\n"),
        # HTML 4's teletype text, older docs' code ("<tt>.Service.ID</tt>"), in HTML and in Markdown.
        ("<td>The <tt>.Service.ID</tt> field</td>", "html", "\n\nThe Dummy0 field\n\n"),
        ("Set <tt>.Service.ID</tt> first.", "markdown", "Set Dummy0 first."),
        # A bare address that meets inline code or holds an entity is one word: the two words
        # overlapped, and the parts repeated a character, which moved every later finding.
        ("Get github.com/google/docsy@v`1.0` now.", "markdown", "Get Dummy0 now."),
        ("See https://example.com/a?x=1&amp;y=2 now.", "markdown", "See Dummy0 now."),
        ("<p>See https://example.com/a?x=1&amp;y=2 now.</p>", "html", "\n\nSee Dummy0 now.\n\n"),
        # A reference whose label the file does not define, which a docs site resolves
        # (mkdocs-autorefs, rustdoc): LanguageTool read "typing.Unpack" as two sentences.
        ("It adds [`Unpack`][typing.Unpack] and [typed dicts][typing.TypedDict], and [`Vec`][].", "markdown",
         "It adds Dummy0 and typed dicts, and Dummy1."),
        # ... but a scraped page's note references are no link.
        ("Taught in Charms class.[3][4] The spell", "markdown", "Taught in Charms class.[3][4] The spell"),
        # A line break inside markup no reader sees (a link's destination or title, a tag's
        # attributes) is no space in the sentence: LanguageTool flagged "here , or".
        ('Found [here](\nhttps://x.org/r "The\nrepo"), or.', "markdown", "Found here, or."),
        ('Found <a\nhref="https://x.org">here</a>, or.', "markdown", "Found here, or."),
        ('<p>Found <a\r\nhref="https://x.org">here</a>, or.</p>', "html", "\n\nFound here, or.\n\n"),
        ("Plain text.", "text", ""),
    ],
)
def test_annotation_reads_as_a_reader_reads(source: str, fmt: str, expected: str) -> None:
    if fmt == "text":
        assert prose_view(source, fmt).annotation == ()
    else:
        assert reads(source, fmt) == expected


def test_a_link_whose_address_starts_on_the_next_line_leaves_no_space_before_the_comma(client) -> None:
    """Three of the 146 Markdown READMEs on PyPI's pages of popular packages write a link so
    ("[here](\\nhttps://github.com/redis/redis-py), or"), and LanguageTool flagged a space
    before the comma that no reader sees."""
    source = "It can be found [here](\nhttps://github.com/redis/redis-py), or downloaded from PyPI.\n"
    assert [i["rule"]["id"] for i in issues(client, "markdown", source, ["grammar"])] == []


# ---------------------------------------------------------------------------------------------
# LanguageTool on markup: the same findings as on the prose a reader reads
# ---------------------------------------------------------------------------------------------

RENDERED = DOCS / "rendered"


@pytest.mark.parametrize(
    ("markup", "rendered"),
    [
        (DOCS / "markup" / "style-notes.md", RENDERED / "style-notes.txt"),
        (DOCS / "markup" / "budget.html", RENDERED / "budget.txt"),
        (DOCS / "clean" / "council-vote.md", RENDERED / "council-vote.txt"),
        (DOCS / "clean" / "library-hours.html", RENDERED / "library-hours.txt"),
        (DOCS / "newsroom" / "seed-article.md", DOCS.parent / "seed-article.txt"),
        (DOCS / "markup" / "release-notes.rst", RENDERED / "release-notes.txt"),
        (DOCS / "markup" / "install-guide.mdx", RENDERED / "install-guide.txt"),
    ],
    ids=lambda path: path.name,
)
def test_grammar_on_markup_finds_what_it_finds_in_the_rendered_prose(app, markup: Path, rendered: Path) -> None:
    """The annotated text loses no finding next to markup and adds none: LanguageTool finds the
    same rules on the same words as in the prose a reader reads (written out by hand in
    fixtures/docs/rendered/, with a plain word where the markup has code or a URL)."""
    grammar = app.extensions["copydesk"].grammar
    source = markup.read_text(encoding="utf-8")
    document = build_document(source, None, fmt_of(markup))
    assert document.annotation
    in_markup = grammar.check_text(source, "en-US", MARKUP_DISABLED_RULES, annotation=document.annotation)
    prose = rendered.read_text(encoding="utf-8")
    in_prose = grammar.check_text(prose, "en-US", MARKUP_DISABLED_RULES)

    def found(findings: list[Finding], text: str) -> list[tuple[str, str]]:
        return sorted((f.rule_id, text[f.offset : f.offset + f.length]) for f in findings)

    assert found(in_markup, source) == found(in_prose, prose)


# ---------------------------------------------------------------------------------------------
# Reports point at the words as sent
# ---------------------------------------------------------------------------------------------


# LanguageTool's findings alone: where copydesk's own sentence-starts measure flags a run, a /v1
# report with the readability check drops LanguageTool's match on it (test_api.py).
GRAMMAR = ["grammar"]


def issues(client, fmt: str, text: str, checks: list[str] | None = None) -> list[dict]:
    body = {"format": fmt, "text": text} if checks is None else {"format": fmt, "text": text, "checks": checks}
    report = client.post("/v1/score", json=body).get_json()
    found = [issue for section in report["checks"].values() for issue in section["issues"]]
    for issue in found:
        assert text[issue["offset"] : issue["offset"] + issue["length"]] == issue["text"], issue
    return found


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("html", "<p>First para&#10;is here.</p>\n<p>He go home and and then teh end.</p>\n"),
        ("html", "<p>First para&NewLine;is here.</p>\n<p>He go home and and then teh end.</p>\n"),
        ("html", "<p>First para&#13;is here.</p>\n<p>He go home and and then teh end.</p>\n"),
        ("html", "<p>First para&#x0D;&#x0A;is here.</p>\n<p>He go home and and then teh end.</p>\n"),
        ("markdown", "First para&#10;is here.\n\nHe go home and and then teh end.\n"),
        ("markdown", "First para&#13;is here.\n\nHe go home and and then teh end.\n"),
    ],
)
def test_a_decoded_line_break_moves_no_line(client, fmt: str, text: str) -> None:
    """Lines and columns count the source's own line breaks: a reference that decodes to one
    reads as a space, in the view and for LanguageTool."""
    at = text.index("teh")
    line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    places = {(i["text"], i["line"], i["column"]) for i in issues(client, fmt, text)}
    assert ("teh", line, column) in places
    assert_view_invariants(text, prose_view(text, fmt))
    assert re.search("First para +is here[.]", reads(text, fmt))


def test_a_reference_without_a_semicolon_takes_only_what_the_decoder_read(client) -> None:
    """"&notyou" is "¬you" to a browser: "&not" reads as "¬", and "you" is prose where it stands."""
    text = "<h1>Mayor opens bridge</h1><p>Readers say &notyou won't believe the new bridge in town today.</p>"
    at = text.index("&not")
    view = prose_view(text, "html")
    assert_view_invariants(text, view)
    assert view.text[at : at + 8] == "¬\u2060\u2060\u2060you "
    assert "Readers say ¬you won't believe" in reads(text, "html")
    clickbait = [i for i in issues(client, "html", text) if i["rule"]["id"] == "clickbait.you-wont-believe"]
    assert [(i["offset"], i["text"]) for i in clickbait] == [(at + 4, "you won't believe")]


LONG_CLAUSE = (
    "the committee which had been convened in considerable haste after the unexpected resignation of its "
    "previous chairman amid allegations of procedural irregularities that were never fully substantiated "
    "ultimately decided to postpone all deliberations"
)


@pytest.mark.parametrize(
    ("fmt", "text", "rule", "ends_with"),
    [
        ("html", "<h1>You won&#39;t believe this &#128512;</h1><p>Text is here and fine.</p>",
         "clickbait.model", "this &#128512;"),
        ("html", "<h1>Top 10 reasons you won&#39;t believe &amp;</h1><p>Text is here.</p>",
         "clickbait.model", "believe &amp;"),
        ("markdown", f"Intro is short.\n\nHe said &ldquo;{LONG_CLAUSE}.&rdquo; Then it ended.\n",
         "readability.hard-sentence", "deliberations.&rdquo;"),
        ("html", f"<p>Intro is short.</p><p>It was &quot;{LONG_CLAUSE}&quot;</p>",
         "readability.hard-sentence", "deliberations&quot;"),
        # LanguageTool's own mapping ended this one inside "</p>": a suggestion applied there
        # would have broken the tag.
        ("html", "<p>He said yes &quot;</p><p>Next para.</p>", "COMMA_PARENTHESIS_WHITESPACE", " &quot;"),
    ],
)  # fmt: skip
def test_an_issue_covers_a_character_reference_whole_and_no_part_of_a_tag(
    client, fmt: str, text: str, rule: str, ends_with: str
) -> None:
    """A span found in the prose view ended one character into the reference that closed it
    (the view has the character there and blanks its rest): the issue's text ended in "&"."""
    (issue,) = [i for i in issues(client, fmt, text) if i["rule"]["id"] == rule]
    assert issue["text"].endswith(ends_with)


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("<p>Council passes a leaner budget</p><p>The council met on Monday. It passed the budget.</p>", "html"),
        ("Council passes a leaner budget\n\nThe council met on Monday. It passed the budget.\n", "markdown"),
    ],
)
def test_without_a_title_the_first_line_of_the_first_block_stands_for_the_headline(source: str, fmt: str) -> None:
    """A page of HTML is often one line of source: its first line ran over every block, so no
    headline was judged where the same article in Markdown had its first line judged."""
    headline = build_document(source, None, fmt).headline  # type: ignore[arg-type]
    assert headline is not None
    assert (headline.text, headline.source) == ("Council passes a leaner budget", "first_line")
    assert source[headline.offset : headline.offset + headline.covers] == headline.text


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("<p>The caf&eacute;<b>s</b> closed, and it&rsquo;<i>s</i> over.</p>", "html"),
        ("The caf&eacute;**s** closed, and it&rsquo;*s* over.\n", "markdown"),
    ],
)
def test_an_entity_then_markup_inside_a_word_leave_it_one_word(source: str, fmt: str) -> None:
    """Markup joined two letters, and an entity's rest the character after it, but an entity
    right before markup ("caf&eacute;<b>s</b>") had a blank rest and a run with a blank before it:
    "café s", two words."""
    document = build_document(source, None, fmt)  # type: ignore[arg-type]
    plain = "The cafés closed, and it’s over."
    assert document.as_shown(document.text) == plain
    assert segments.word_count(document.text) == segments.word_count(plain) == 6


def test_a_markdown_escape_inside_a_word_leaves_it_one_word() -> None:
    """An escaped "_" ("name\\_of\\_tarball", as HTML-to-Markdown converters write every "_")
    was markup between a letter and "_", which only letters and digits on both sides joined: the
    view read "name _of _tarball", three words, and a reader sees one."""
    plain = "Unpack name_of_tarball and tell @sam_ponder now."
    document = build_document(plain.replace("_", "\\_") + "\n", None, "markdown")
    assert document.as_shown(document.text) == plain
    assert segments.word_count(document.text) == segments.word_count(plain) == 6


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_an_escaped_quotation_mark_stands_on_its_word(client, fmt: str) -> None:
    """An entity's rest was blank unless a letter stood on both sides, so "&#39;concerns&#39;"
    read "'    concerns'": a subheading's quoted word was no quotation to the headline model
    (0.96 where the same words as shown score 0.99) and the report showed the gap."""
    shown = "There were 'concerns' in the royal family about Archie's skin color"
    escaped = shown.replace("'", "&#39;")
    text = (
        f"<h1>Harry and Meghan speak</h1><p>The couple spoke at length.</p><h2>{escaped}</h2><p>They said so.</p>"
        if fmt == "html"
        else f"# Harry and Meghan speak\n\nThe couple spoke at length.\n\n## {escaped}\n\nThey said so.\n"
    )
    report = client.post("/v1/score", json={"format": fmt, "text": text, "checks": ["clickbait"]}).get_json()
    (body,) = report["checks"]["clickbait"]["body_headlines"]
    alone = client.post("/v1/clickbait", json={"headlines": [shown]}).get_json()["results"][0]
    assert (body["text"], body["probability"]) == (shown, alone["probability"])
    view = prose_view("<p>&quot;Hello&quot;, she said, at AT&amp;T.</p>", "html")
    assert segments.as_shown(view.text) == '"Hello", she said, at AT&T.'


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_a_decimal_reference_of_any_length_is_read_as_browsers_read_it(client, fmt: str) -> None:
    """Python's int() refuses more than 4,300 digits, so html.unescape raised on a long decimal
    reference, in the text or in an attribute: a 500. Past U+10FFFF it is U+FFFD, leading zeros
    aside ("&#000...065;" is "A")."""
    digits = "1" * 5000
    for text, reads_as in [
        (f"<p>The mayor &#{digits}; spoke.</p>", "\ufffd"),
        (f"<p>The &#{'0' * 5000}65; mayor.</p>", "A"),
        (f'<p title="&#{digits}">The mayor spoke.</p>', None),
    ]:
        view = prose_view(text, fmt)
        assert_view_invariants(text, view)
        if reads_as is not None:
            assert view.text[text.index("&#")] == reads_as
        response = client.post("/v1/score", json={"text": text, "format": fmt, "checks": ["phrasing", "readability"]})
        assert response.status_code == 200, response.get_data(as_text=True)


@pytest.mark.parametrize(
    "text",
    [
        'The mayor opened the [new bridge](https://example.com/x "Bridge") on Tuesday.\n',
        'The mayor opened the <span class="x">new bridge</span> on Tuesday.\n',
    ],
    ids=["link-title", "inline-html"],
)
def test_spaces_inside_markup_are_not_the_writers(client, text: str) -> None:
    """The spaces of a link's title or a tag's attributes go to LanguageTool as markup: read as
    prose they were consecutive spaces, and taking the suggestion deleted markup."""
    found = issues(client, "markdown", text)
    assert [i for i in found if i["rule"]["id"].startswith("CONSECUTIVE_SPACES")] == []
    assert "The mayor opened the new bridge on Tuesday." in reads(text, "markdown")


@pytest.mark.parametrize(
    "note",
    [
        '<sup id="cite_ref-13"><a href="#cite_note-13">[13]</a></sup>',  # Wikipedia
        '<sup><a data-type="noteref" href="#n24">24</a></sup>',  # O'Reilly's books
        '<a href="#fn1" class="footnote-ref"><sup>1</sup></a>',  # pandoc
    ],
)
def test_an_html_note_reference_is_read_as_nothing(client, note: str) -> None:
    """A note reference is a mark beside the words, not one of them: "Android,[13] a mobile OS"
    got LanguageTool's "put a space after the comma" on every cited comma of a Wikipedia page,
    and "[13]" counted as a word. A <sup> that holds an in-document link (or a link that holds a
    <sup>) reads as nothing; other superscripts ("21<sup>st</sup>") are still read."""
    page = "<p>Firefox runs on Android,{} a mobile OS made in the 21<sup>st</sup> century.</p>\n"
    html = page.format(note)
    assert reads(html, "html") == "\n\nFirefox runs on Android, a mobile OS made in the 21st century.\n\n\n"
    found = issues(client, "html", html)
    assert [i["rule"]["id"] for i in found if i["check"] == "grammar"] == []
    words = [segments.word_count(build_document(text, None, "html").text) for text in (html, page.format(""))]
    assert words[0] == words[1]
    # A <sup> left open ends with its paragraph: the link and the <sup> of later ones are no note.
    unclosed = "<p>Start<sup>x</p><p>Prose here, <a href='#top'>top</a> more.</p><p>End<sup>2</sup> done.</p>"
    kept = build_document(unclosed, None, "html").text.replace(segments.JOINER, "")
    assert " ".join(kept.split()) == "Startx Prose here, top more. End2 done."


@pytest.mark.parametrize(
    "mark",
    [
        '<a class="headerlink" href="#why" title="Permalink to this heading">\u00b6</a>',  # Sphinx
        '<a class="headerlink" href="#why" title="Permanent link">&para;</a>',  # MkDocs
        '<a class="anchor" href="#why" aria-hidden="true"> <span>#</span> </a>',  # Hugo, Jekyll
        '<a href="#why">\U0001f517\ufe0f</a>',
    ],
)
def test_a_headings_permalink_is_read_as_nothing(mark: str) -> None:
    """A docs site's heading ends with a link to itself that shows a mark ("¶", "#"): read as
    prose, "Why are Python strings immutable? ¶" asked nothing, so the model judged the FAQ's
    question although the paragraph under it answers; the heading now ends at its question
    mark. An in-document link with words ("top") is still read."""
    html = f"<h1>Design FAQ</h1>\n<h2>Why are Python strings immutable?{mark}</h2>\n<p>For speed.</p>\n"
    document = build_document(html, None, "html")
    shown = [segments.as_shown(h.of(document.text)) for h in document.headings]
    assert shown == ["Design FAQ", "Why are Python strings immutable?"]
    assert [segments.as_shown(h.of(document.text)) for h in document.headline_spans] == ["Design FAQ"]
    assert build_document('<p>Back to the <a href="#top">top</a>.</p>', None, "html").text.split() == [
        "Back", "to", "the", "top", "."]


def test_a_markdown_footnote_reference_is_read_as_nothing(client) -> None:
    """GitHub's footnotes: "Android,[^1] a mobile OS" got LanguageTool's "put a space after the
    comma", and the definition's "[^1]:" was read as the start of its sentence. A reference reads
    as nothing, as HTML's note references do; a definition is its text; "[^x]" with no definition
    stays the text GitHub shows."""
    text = ("Firefox runs on Android,[^1] a mobile OS made by Mozilla.[^note] The [^x] stays.\n\n"
            "[^1]: Android is made by Google.\n[^note]: Mozilla is a foundation.\n")
    assert reads(text, "markdown") == (
        "Firefox runs on Android, a mobile OS made by Mozilla. The [^x] stays.\n\n\n\n"
        "Android is made by Google.\n\n\nMozilla is a foundation.\n"
    )
    found = issues(client, "markdown", text)
    assert [i["rule"]["id"] for i in found if i["text"].startswith(",")] == []
    document = build_document(text, None, "markdown")
    assert shown_sentences(document)[-2:] == [
        "Android is made by Google.", "Mozilla is a foundation."]


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("markdown", "The council voted [^1], and the budget passed [^2]. Rates rose [^1] again.\n\n"
                     "[^1]: A.\n[^2]: B.\n"),
        ("html", '<p>The council voted <sup><a href="#n1">1</a></sup>, and the budget passed '
                 '<a href="#n2"><sup>2</sup></a>. Rates rose <sup><a href="#n1">1</a></sup> again.</p>\n'),
        ("rst", "The council voted [#]_, and the budget passed [1]_. Rates rose [#]_ again.\n\n"
                ".. [#] A.\n.. [1] B.\n.. [#] C.\n"),
    ],
)
def test_the_space_before_a_note_reference_goes_with_it_before_punctuation(client, fmt: str, text: str) -> None:
    """"voted [^1], and" shows "voted¹, and" or "voted ¹, and", never a space before the comma;
    read as "voted , and", it got LanguageTool's "no space before the comma", whose suggestion
    deleted the reference (Markdown and HTML; reStructuredText's reader did this already). Before
    a word, the two spaces around the reference read as one."""
    shown = reads(text, fmt)
    assert "The council voted, and the budget passed. Rates rose again." in shown, shown
    assert [i["rule"]["id"] for i in issues(client, fmt, text) if i["check"] == "grammar"] == []


def test_html_spaces_a_browser_shows_as_one_are_read_as_one(client) -> None:
    """A browser shows a run of spaces as one space, across tags too, so a reader of an HTML page
    never sees "asked him <a> how" or "color  on" as two spaces; LanguageTool flagged both (the
    BBC's and Lifehacker's pages). A non-breaking space still shows, and Markdown's source spaces,
    which the writer reads and edits, are still flagged."""
    html = ('<p>The mayor asked him <a href="https://x.example/a"> how many</a> came.\n'
            "    Stores use colour  on labels, &nbsp; not more.</p>\n")
    read = "The mayor asked him how many came.\n    Stores use colour on labels, \xa0 not more."
    assert reads(html, "html") == f"\n\n{read}\n\n\n"

    def spaces(fmt: str, text: str) -> list[str]:
        return [i["text"] for i in issues(client, fmt, text) if i["rule"]["id"].startswith("CONSECUTIVE_SPACES")]

    assert spaces("html", html) == []
    assert spaces("markdown", "Stores use colour  on labels.\n") == ["  "]


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("markdown", "An `Edge` links two nodes. Each node has an *`edgesIn`* set and an https://a.example/x page."
                     "\n\nThis is an mistake.\n"),
        ("html", "<p>An <code>Edge</code> links two nodes. Each node has an <em><code>edgesIn</code></em> set.</p>"
                 "<p>This is an mistake.</p>"),
    ],
)
def test_a_or_an_before_inline_code_is_not_judged(client, fmt: str, text: str) -> None:
    """LanguageTool reads inline code and URLs as a placeholder word ("An Dummy0"), so its a/an
    rule flagged every "an `Edge`" of an API reference (18 times in 14 READMEs). The article
    before a placeholder is not judged; before a word it still is."""
    assert "An Dummy0 links" in reads(text, fmt)
    articles = [(i["text"], i["offset"]) for i in issues(client, fmt, text) if i["rule"]["id"] == "EN_A_VS_AN"]
    assert articles == [("an", text.index("an mistake"))]


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("markdown", "# Mayor opens new bridge\n\nThe mayor opened it today.\n\n## Why the town NEEDS a BRIDGE\n\n"
                     "Traffic was bad.\n"),
        ("html", "<h1>Mayor opens new bridge</h1>\n<p>The mayor opened it today.</p>\n"
                 "<h2>Why the town NEEDS a BRIDGE</h2>\n<p>Traffic was bad.</p>\n"),
    ],
)
def test_a_subheading_is_judged_as_a_headline_in_html_as_in_markdown(client, fmt: str, text: str) -> None:
    """Body headlines were found by their lines: a Markdown heading stands between blank lines,
    but an HTML ``<h2>`` usually shares a paragraph of the source with the ``<p>`` after it, so
    the same page's subheadings were judged in Markdown and not in HTML. The markup's headings
    that look like headlines are headline spans in both."""
    found = [(i["rule"]["id"], i["text"]) for i in issues(client, fmt, text) if i["check"] == "clickbait"]
    assert ("clickbait.shouting-headline", "NEEDS a BRIDGE") in found


def test_v2_passes_on_languagetools_article_match_before_a_clients_placeholder(client) -> None:
    """On ``/v2`` the annotation is the client's (LTeX masks code as ``Dummy0``), and LanguageTool's
    matches go out as LanguageTool sends them: its "an Dummy0" match stays."""
    parts = [{"text": "An "}, {"markup": "`Edge`", "interpretAs": "Dummy0"}, {"text": " links two nodes."}]
    response = client.post("/v2/check", data={"language": "en-US", "data": json.dumps({"annotation": parts})})
    assert response.status_code == 200, response.get_data(as_text=True)
    matches = response.get_json()["matches"]
    assert [m["offset"] for m in matches if m["rule"]["id"] == "EN_A_VS_AN"] == [0]


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("markdown", "| flag | meaning |\n|---|---|\n| optional | not needed to run |\n\nthe list ends here.\n"),
        ("html", "<table><tr><th>flag<th>meaning<tr><td>optional<td>not needed to run</table>"
                 "<p>the list ends here.</p>"),
        # A description list's term: git's manual lists its options and settings so.
        ("html", '<dl><dt class="hdlist1">core.packedRefsTimeout</dt><dd><p>How long to wait, in ms.</p></dd>'
                 "<dt>optional<dd>Not needed to run.</dl><p>the list ends here.</p>"),
        # A cell that opens with a quotation mark: a quoted value ('"none"', as docker's docs write).
        ("markdown", '| mode | meaning |\n|---|---|\n| "" | Use the default. |\n| "none" | Own namespace. |\n\n'
                     "the list ends here.\n"),
    ],
)
def test_a_table_cell_in_lower_case_is_no_sentence_start(client, fmt: str, text: str) -> None:
    """A table's cells reach LanguageTool as paragraphs of their own, and a cell in lower case
    ("optional") was a sentence that does not start with a capital. A cell is a value or a label;
    a paragraph in lower case after the table is still a sentence start."""
    starts = [i["text"] for i in issues(client, fmt, text) if i["rule"]["id"] == "UPPERCASE_SENTENCE_START"]
    assert starts == ["the"]


def test_the_spaces_that_pad_a_plain_text_tables_cells_are_no_typo(client) -> None:
    """A table written with pipes in plain text lines its columns up with spaces ("| Ann    |")
    and leaves cells empty ("|  |"): LanguageTool's whitespace rule flagged every one (a
    scraped list of MPs, one row a member, had hundreds). Spaces inside a cell, in
    prose and on a line that is no row (a tree drawn with pipes) are still flagged, and a ``/v2``
    client gets LanguageTool's matches as sent."""
    text = (
        "| Name    | Role  |  |\n|---|---|---|\n| Ann  Lee | Editor |  |\n\n"
        "The table  ends here.\n|   |-- bin/\n"
    )
    found = sorted(
        (i["offset"], i["length"]) for i in issues(client, "text", text, GRAMMAR) if "SPACE" in i["rule"]["id"]
    )
    assert found == [
        (text.index("  Lee"), 2), (text.index("  ends"), 2), (text.index("   |--"), 3)
    ], [text[a : a + n] for a, n in found]
    response = client.post("/v2/check", data={"language": "en-US", "text": text})
    assert response.status_code == 200, response.get_data(as_text=True)
    padding = [m for m in response.get_json()["matches"] if m["offset"] == text.index("    |")]
    assert [m["rule"]["id"] for m in padding] == ["WHITESPACE_RULE"]


@pytest.mark.parametrize(
    ("fmt", "around"),
    [
        ("markdown", "{before}\n\n```\n$ pip freeze > requirements.txt\n```\n\n{after}\n"),
        ("markdown", "{before}\n\n    $ pip freeze > requirements.txt\n\n{after}\n"),
        ("html", "<p>{before}</p>\n<pre><code>$ pip freeze &gt; requirements.txt</code></pre>\n<p>{after}</p>"),
        # An extractor's <pre>: a code element alone between blocks, laid out as one.
        ("html", "<p>{before}</p><code><code>$ pip freeze &gt; requirements.txt</code></code><p>{after}</p>"),
    ],
)
def test_a_sentence_goes_on_after_a_code_block(client, fmt: str, around: str) -> None:
    """A sentence written around a displayed command ("Freeze the environment with [the command]
    which will write a file") reached LanguageTool as two paragraphs, the second starting in lower
    case. Where the prose before the code block ends its sentence, a lower-case start is still one."""
    def starts(before: str) -> list[str]:
        text = around.format(before=before, after="which will write a requirements file.")
        return [i["text"] for i in issues(client, fmt, text) if i["rule"]["id"] == "UPPERCASE_SENTENCE_START"]

    assert starts("Freeze the environment with") == []
    assert starts("Freeze the environment.") == ["which"]
    # A sentence ends before closing marks, a guillemet's too (segments' one definition).
    assert starts("Freeze the environment \u00abnow.\u00bb") == ["which"]
    assert starts("Freeze the environment (as below).") == ["which"]


@pytest.mark.parametrize(
    ("fmt", "around"),
    [
        ("markdown", "The council met on Tuesday. {lead}\n\n- {first}\n- {second}\n\nMembers agreed.\n"),
        ("html", "<p>The council met on Tuesday. {lead}</p><ul><li>{first}</li><li>{second}</li></ul>"
                 "<p>Members agreed.</p>"),
    ],
)
def test_list_items_that_complete_their_lead_in_start_in_lower_case(client, fmt: str, around: str) -> None:
    """Items that complete the sentence their lead-in opens ("The plan would: cut ...; close ...;
    and move ...") start in lower case, and LanguageTool, which gets each item as a paragraph of
    its own, took an item after "and" for a sentence. Where the lead-in or the item before ends
    its sentence, a lower-case start is still one."""
    def starts(lead: str, first: str, second: str) -> list[str]:
        text = around.format(lead=lead, first=first, second=second)
        return [i["text"] for i in issues(client, fmt, text) if i["rule"]["id"] == "UPPERCASE_SENTENCE_START"]

    assert starts("The plan would:", "close two branches in March; and", "move the mobile library.") == []
    assert starts("The plan was agreed.", "close two branches in March.", "move the mobile library.") == [
        "close", "move"
    ]


@pytest.mark.parametrize(
    ("fmt", "around"),
    [
        ("markdown", "{lead}\n\n- the Apache License (version 2.0)\n- the MIT licence{last}\n\n{after}\n"),
        ("html", "<p>{lead}</p>\n<ul>\n<li>the Apache License (version 2.0)</li>\n<li>the MIT licence{last}</li>\n"
                 "</ul>\n<p>{after}</p>"),
        ("text", "{lead}\n\n- the Apache License (version 2.0)\n- the MIT licence{last}\n\n{after}\n"),
    ],
)
def test_a_sentence_goes_on_after_a_list(client, fmt: str, around: str) -> None:
    """A sentence that runs through its list ("Licensed under either of [two licences] at your
    option.", in most Rust crates' READMEs) reached LanguageTool with its end as a paragraph of
    its own, in lower case. After a list that a colon introduces, or whose last item ends its
    sentence, a lower-case start is still one."""
    def starts(lead: str, last: str) -> list[str]:
        text = around.format(lead=lead, last=last, after="at your option.")
        return [i["text"] for i in issues(client, fmt, text) if i["rule"]["id"] == "UPPERCASE_SENTENCE_START"]

    assert starts("Licensed under either of", "") == []
    assert starts("Licensed under either of", ".") == ["at"]
    assert starts("Licensed under one of these:", "") == ["at"]
    # After a full stop the first item is a sentence start too (in plain text LanguageTool
    # reads the bullet as the item's first word).
    assert starts("It is licensed.", "") == ([] if fmt == "text" else ["the"]) + ["at"]


QUOTED = {"first": "The first part of what she said", "second": "And the second part", "last": "And the last part"}


@pytest.mark.parametrize(
    ("fmt", "text", "marks"),
    [
        ("text", "The mayor said: \u201c{first}.\n\n\u201c{second}.\n\n{open}{last}.{close}\n\nShe left.\n",
         ("\u201c", "\u201d")),
        # A text from a system that ends a paragraph with one line break.
        ("text", "The mayor said: \u201c{first}.\n\u201c{second}.\n{open}{last}.{close}\nShe left.\n",
         ("\u201c", "\u201d")),
        # Hard-wrapped Markdown: the quotation's first line is not its paragraph's last.
        ("markdown", 'The mayor said:\n"{first},\nshe went on.\n\n"{second}.\n\n{open}{last}.{close}\n\nShe left.\n',
         ('"', '"')),
        ("html", "<p>The mayor said: &#34;{first}.</p>\n<p>&#34;{second}.</p><p>{open}{last}.{close}</p><p>Bye.</p>",
         ("&#34;", "&#34;")),
    ],
)
def test_a_quotation_that_runs_over_paragraphs_is_not_left_open(
    client, fmt: str, text: str, marks: tuple[str, str]
) -> None:
    """By the convention of every newsroom's style guide, a quotation that runs over paragraphs
    opens each and closes only the last; LanguageTool flagged the opening mark of every paragraph
    but the last as unpaired. A quotation left open before a paragraph that does not open with
    one is still flagged."""
    continued = text.format(**QUOTED, open=marks[0], close=marks[1])
    assert not [i for i in issues(client, fmt, continued) if i["rule"]["id"] == "EN_UNPAIRED_QUOTES"]
    left_open = text.format(**QUOTED, open="", close="")
    unpaired = [i["offset"] for i in issues(client, fmt, left_open) if i["rule"]["id"] == "EN_UNPAIRED_QUOTES"]
    assert unpaired == [left_open.index(QUOTED["second"]) - len(marks[0])]
    # On /v2 a LanguageTool client gets LanguageTool's matches as it sends them.
    if fmt == "text":
        response = client.post("/v2/check", data={"language": "en-US", "text": continued})
        assert [m["rule"]["id"] for m in response.get_json()["matches"]].count("EN_UNPAIRED_QUOTES") == 2


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_a_spaced_ellipsis_is_one_mark(client, fmt: str) -> None:
    """A spaced ellipsis (". . .", where a quotation leaves words out) was a space before a full
    stop and a sentence in lower case to LanguageTool: two findings for each. A space before a
    real full stop, and a real sentence in lower case, are still found."""
    text = (
        "He said there are firms in Ukraine . . . registered with offices. "
        "She said: \u201cWe will win . . . and we will rebuild.\u201d"
    )
    source = f"<p>{text}</p>" if fmt == "html" else text

    def grammar(source: str) -> list[str]:
        return [i["rule"]["id"] for i in issues(client, fmt, source) if i["check"] == "grammar"]

    assert grammar(source) == []
    slips = source.replace("with offices.", "with offices .").replace("She said", "she said")
    assert grammar(slips) == ["COMMA_PARENTHESIS_WHITESPACE", "UPPERCASE_SENTENCE_START"]


@pytest.mark.parametrize(
    ("fmt", "source"),
    [
        ("html", '<ul class="breadcrumb"><li><a href="/">Python</a> &#187;</li><li><a href="/3/">Docs</a> \u00bb</li>'
                 "</ul><p>Choose File \u00bb New, then see the guide \u203a</p>"),
        ("text", "Choose File \u00bb New in the menu.\n\nSee all guest operating systems \u00bb\n"),
    ],
)
def test_a_guillemet_standing_alone_is_a_separator(client, fmt: str, source: str) -> None:
    """Sphinx writes its breadcrumbs "Python \u00bb Docs \u00bb", a how-to a menu path "File \u00bb
    New", a page "See all \u00bb": LanguageTool took each for a closing quotation mark with a space
    before it (348 findings on the Python docs' pages). A separator is no quotation mark; a
    space before a full stop is still found."""
    def spaces(source: str) -> list[str]:
        return [i["text"] for i in issues(client, fmt, source) if i["rule"]["id"] == "COMMA_PARENTHESIS_WHITESPACE"]

    assert spaces(source) == []
    assert spaces(source.replace("New", "New .")) == [" ."]


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("It installs it with apt-get.\n`make test` also uses npm. See https://x.example/a for more.\n", "markdown"),
        ("<p>It installs it with apt-get. <code>make test</code> also uses npm. "
         "See <a href='https://x.example/a'>https://x.example/a</a> for more.</p>", "html"),
    ],
)
def test_inline_code_and_urls_are_one_word_each_and_can_open_a_sentence(source: str, fmt: str) -> None:
    """The view blanked inline code and URLs, so a sentence opening with inline code read as the
    one before it going on (the next word it saw, "also", is in lower case): copydesk's README had
    a "117-word sentence" made of several. And they counted no word, where plain text counts an
    address as one. The view marks each with one ``segments.MASKED_WORD``."""
    document = build_document(source, None, fmt)  # type: ignore[arg-type]
    said = [" ".join(s.of(document.original).split()) for s in document.sentences]
    assert [s.split()[0] for s in said] == ["It", "`make" if fmt == "markdown" else "<code>make", "See"]
    plain = "It installs it with apt-get. maketest also uses npm. See https://x.example/a for more."
    assert segments.word_count(document.text) == segments.word_count(plain) == 14


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_formula_in_mathml_is_one_word(fmt: str) -> None:
    """MathJax and Wikipedia write a formula as MathML: "the chance of <math>k</math> heads". The
    view blanked it, so LanguageTool read a sentence that opened with "heads" in lower case and
    the count lost a word; it reads as one word now, as inline code does (and in HTML one that
    stands alone between blocks is laid out as a block, as a lone <code> is)."""
    formula = '<math display="inline"><mi>k</mi><mo>+</mo><mn>1</mn></math>'
    source = f"<p>Counting the tosses.</p>\n\n<p>{formula} heads come up when flipping a coin.</p>\n"
    document = build_document(source, None, fmt)  # type: ignore[arg-type]
    said = [" ".join(s.of(document.original).split()) for s in document.sentences]
    assert said[1].startswith("<math") and said[1].endswith("flipping a coin.")
    plain = "Counting the tosses. k heads come up when flipping a coin."
    assert segments.word_count(document.text) == segments.word_count(plain) == 11
    block = '<math display="block"><mi>x</mi></math>'
    html = f"{source}{block}<p>The end.</p>"
    assert [html[span.start : span.end] for span in build_document(html, None, "html").code_blocks] == [block]


@pytest.mark.parametrize(
    ("fmt", "source"),
    [
        ("html", '<p>If a matrix <span><img src="a.svg" alt="A"></span> is denoted by <span>'
                 '<img src="b.svg" alt="{\\displaystyle A^H}"/></span>, then click the <img src="g.png"> icon.</p>'),
        ("markdown", "If a matrix ![A](a.svg) is denoted by <img src='b.svg' alt='B'>, then click the "
                     "![](g.png) icon.\n"),
    ],
)
def test_an_image_inside_a_sentence_is_one_word(client, fmt: str, source: str) -> None:
    """Wikipedia writes a formula as an image inside its sentence, a manual an icon ("click the
    ![gear](gear.png) icon"): the view read the image as nothing, and LanguageTool flagged the
    space before the comma ("denoted by , then") and the two around the icon, and the count lost
    a word. It reads as one word, as inline code does; an image alone in its block or at its
    edge (a badge, a figure, a photo before its caption) still reads as nothing."""
    spaces = {"COMMA_PARENTHESIS_WHITESPACE", "CONSECUTIVE_SPACES", "WHITESPACE_RULE"}
    assert [i["rule"]["id"] for i in issues(client, fmt, source) if i["rule"]["id"] in spaces] == []
    document = build_document(source, None, fmt)  # type: ignore[arg-type]
    assert document.text.count(segments.MASKED_WORD) == 3
    plain = "If a matrix A is denoted by B, then click the gear icon."
    assert segments.word_count(document.text) == segments.word_count(plain) == 13
    alone = {
        "html": '<p><a href="x"><img src="b.svg" alt="build"></a> <a href="y"><img src="c.svg" alt="cov"></a></p>'
                '<figure><img src="p.jpg" alt="A harbour"><figcaption>A harbour.</figcaption></figure>'
                '<p><img src="p.jpg" alt="A harbour"> The harbour at dawn.</p>',
        "markdown": "[![build](b.svg)](x) [![cov](c.svg)](y)\n\n![A harbour](p.jpg) The harbour at dawn.\n",
    }[fmt]
    assert segments.MASKED_WORD not in build_document(alone, None, fmt).text  # type: ignore[arg-type]


CALL_OUTS = """# Setup guide

[Get started](start.md){ .md-button }

--8<-- "CHANGELOG.md"

:::tip Pro tip
You can run the tool twice to be sure.
:::

:::note[Before you start]
Stop the old service.
:::

!!! note "Heads up"

    The cache lives in your home folder.

??? warning
    Stop the service first.

    === "Python"
        ```python
        loader = Loader(teh_path)
        ```

::: my_package.module.Loader
"""


def test_the_call_out_boxes_of_docs_sites_are_read_as_their_text(client) -> None:
    """MkDocs writes a call-out box as '!!! note "Heads up"' over an indented body, Docusaurus
    and VitePress as ":::tip ... :::" (and mkdocstrings' "::: module.Class" puts an API's docs in
    place). The marker lines were read as prose (LanguageTool wanted "Note" capitalised), and a
    body after a blank line was indented code, never checked. The markers are markup, a title is
    a line of prose (":::tip Pro tip", Docusaurus 3's ":::note[Title]" too), the body prose. A
    content tab ('=== "Python"' over an indented body) was a paragraph whose text ran on into
    the fence under it: its body is read as blocks, its fence as code, its label as markup. An
    attribute list after a link ("{ .md-button }") and a line that pulls in a snippet
    ('--8<-- "CHANGELOG.md"') are markup too."""
    document = build_document(CALL_OUTS, None, "markdown")
    assert shown_sentences(document) == [
        "Setup guide", "Get started", "Pro tip", "You can run the tool twice to be sure.", "Before you start",
        "Stop the old service.", "Heads up",
        "The cache lives in your home folder.",
        "Stop the service first.",
    ]
    fence = CALL_OUTS.index("        ```python")
    assert [(c.start, c.end) for c in document.code_blocks] == [(fence, CALL_OUTS.index("\n::: my_package"))]
    found = issues(client, "markdown", CALL_OUTS)
    assert [i["text"] for i in found if i["rule"]["id"] == "UPPERCASE_SENTENCE_START"] == []
    without_braces = build_document('--8<-- "CHANGELOG.md"\n\nThe end.\n', None, "markdown")
    assert shown_sentences(without_braces) == ["The end."]


BOXES_IN_BOXES = """:::tip

Write a box like this:

```md
:::note
Some text.
:::
```

:::

::: {.grid}

::: {.g-col-6}
The left column.
:::

:::

""" + "".join(f"::: package.module_{n}\n    options:\n      show_source: false\n\n" for n in range(25)) + """
Then build teh site.
"""


def test_boxes_in_boxes_and_many_api_directives_leave_the_prose_read(client) -> None:
    """The ":::" boxes were paired as markdown-it's containers, which close at the first ":::"
    line of the box's fence length. A code fence in a box that shows how to write one closed the
    box inside the fence, and the rest of the page became code; Pandoc's divs, which nest with
    fences of one length (Quarto's grids), left the outer ":::" as prose; and mkdocstrings'
    "::: package.module", which is never closed, nested each directive in the one before, so
    after twenty of them (markdown-it's nesting limit) the rest of the page was not read at all
    (griffe's contributor commands page). A marker line is markup on its own now, and needs no
    pair."""
    document = build_document(BOXES_IN_BOXES, None, "markdown")
    assert shown_sentences(document) == [
        "Write a box like this:", "The left column.", "Then build teh site.",
    ]
    fence = BOXES_IN_BOXES.index("```md")
    assert (fence, BOXES_IN_BOXES.index("```\n\n:::") + 4) in [(c.start, c.end) for c in document.code_blocks]
    assert [i["text"] for i in issues(client, "markdown", BOXES_IN_BOXES) if i["check"] == "grammar"] == ["teh"]


MYST_PAGE = """# Set up

(setup)=
## Before you start

% A coment that no reader sees.

Read the {ref}`setup guide <setup>` and the {term}`AST` first.

```{note}
:class: dropdown
Notes hold prose that is chekced.
```

```{admonition} A titled box
---
class: tip
---
Its body is prose.
```

```{code-cell} python
print("teh code")
```

:::{seealso}
:class: margin
See the other page.
:::

:::{dropdown} Open `ctx.parse` **now**
Hidden text.
:::

$$
\\int_0^\\infty \\frac{x^3}{e^x-1}\\,dx
$$ (eq:int)

:::{math}
:name: eq:book

x \\times y = z
:::

\\begin{align}
  a_{11} &= b_{11}
\\end{align}

+++

% copydesk-disable style.in-order-to
In order to build it, run the command.
% copydesk-enable

It costs $5 and $10, as $$ signs say.
"""


def test_myst_directives_roles_math_and_comments_are_read_as_sphinx_shows_them(client) -> None:
    """Sphinx's MyST pages (Jupyter Book, the PyData themes: 119 pages probed) write a note as a
    code fence, ```{note}, which was read as code: its prose was never checked. Their roles
    ("{term}`AST`"), a box's options (":class: dropdown"), comments ("% ..."), targets
    ("(setup)=") and block breaks ("+++") were prose, and so was display math ("$$ ... $$", "\\begin{align}"):
    LanguageTool flagged "frac" and "infty". A directive whose body is prose is read as blocks,
    its title too; one that holds code or a formula stays code (":::{math}" as a box too); the
    rest is markup, a comment carries copydesk-disable, and dollar amounts in a sentence stay
    prose. A role reads as one word, or as the title it gives a link ("{ref}`setup guide
    <setup>`"), as in reStructuredText. A title's inline code reads as one word and its
    emphasis markers as markup, as in the text under it."""
    document = build_document(MYST_PAGE, None, "markdown")
    assert [" ".join(s.split()) for s in shown_sentences(document)] == [
        "Set up", "Before you start",
        f"Read the setup guide and the {segments.MASKED_WORD} first.",
        "Notes hold prose that is chekced.", "A titled box", "Its body is prose.", "See the other page.",
        f"Open {segments.MASKED_WORD} now",
        "Hidden text.", "In order to build it, run the command.", "It costs $5 and $10, as $$ signs say.",
    ]
    starts = [MYST_PAGE[c.start : c.end].split("\n")[0] for c in document.code_blocks]
    assert starts == ["```{code-cell} python", "$$", ":::{math}", "\\begin{align}"]
    found = [(i["rule"]["id"], i["text"]) for i in issues(client, "markdown", MYST_PAGE)
             if i["check"] in ("grammar", "phrasing")]
    assert found == [("MORFOLOGIK_RULE_EN_US", "chekced")]


INLINE_MATH = r"""The loss is $L = \sum_i (y_i - \hat{y}_i)^2$ over the batch, with $\alpha$ at $0.05$.
The rate $$\lambda = 0.3$$ holds for each $x +
y$ in the set.

It costs $5 and $10, or $5-$10; US$5bn and HK$3bn, $20,000 and $30,000.
"""


@pytest.mark.parametrize(
    ("source", "formulas"),
    [
        ("It costs $5 and $10, or $5-$10; US$5bn and HK$3bn, $20,000 and $30,000.", []),
        ("Earn $$$ now and $$$ later, or $$$$ and $$$$.", []),
        ("Signs with spaces: $ x $ and $x $ and $ x$.", []),
        ("Escaped: \\$x\\$ and $a \\$ b$.", ["$a \\$ b$"]),
        ("> Quoted $x +\n> y$ here, and $$E = mc^2$$ inline.", ["$x +\n> y$", "$$E = mc^2$$"]),
        ("| Function | Use |\n|---|---|\n| `Page.$()` | Page.$() and Page.J() |\n", []),
    ],
)
def test_dollar_signs_pair_into_inline_math_by_pandocs_rule(source: str, formulas: list[str]) -> None:
    """No space inside the signs, no digit after the closing one, an escaped sign is no sign,
    and a run of three or more is money: what Pandoc reads as a formula, and only that."""
    annotation = build_document(source, None, "markdown").annotation
    assert [part.text for part in annotation if part.markup and "$" in part.text and "`" not in part.text] == formulas


def test_inline_math_reads_as_one_word_and_dollar_amounts_stay_prose(client) -> None:
    """Pandoc, Quarto, MyST and GitHub read "$\\alpha$" as a formula; it was prose, and
    LanguageTool flagged "alpha" and "hat" as misspellings and "$0.05" as a currency: a page of
    statistics failed the gate. Each formula now reads as one word; dollar amounts stay prose."""
    document = build_document(INLINE_MATH, None, "markdown")
    assert [part.text for part in document.annotation if part.markup and "$" in part.text] == [
        "$L = \\sum_i (y_i - \\hat{y}_i)^2$", "$\\alpha$", "$0.05$", "$$\\lambda = 0.3$$", "$x +\ny$",
    ]
    assert "It costs $5 and $10, or $5-$10; US$5bn and HK$3bn, $20,000 and $30,000." in shown_sentences(document)
    found = [(i["rule"]["id"], i["text"]) for i in issues(client, "markdown", INLINE_MATH) if i["check"] == "grammar"]
    assert found == [], found


GITHUB_ALERTS = """> [!NOTE]
> Useful information that users should know.

> [!warning]
>
> Back up your site first.

> [!TIP] Not GitHub's alert: Obsidian's callout, with a title.
> Its body.

> [!faq]- A folded one
> Another body.

Note that this paragraph stays where it is.
"""


def test_githubs_alerts_are_read_as_their_text(client) -> None:
    """GitHub shows a quotation whose first line is "[!NOTE]" as a call-out box titled "Note" (11
    % of the Markdown READMEs on PyPI's pages of 146 popular packages have one). The marker was
    read as the first word of the box's first sentence; it is markup now, and the title
    markdown-it writes in its place is no text of the source (reading it moved the reader to the
    next "Note" in the file). Obsidian's callouts take any type, a fold mark and a title after
    the marker: the title is a block of its own (it was read as the body's first words)."""
    document = build_document(GITHUB_ALERTS, None, "markdown")
    assert shown_sentences(document) == [
        "Useful information that users should know.",
        "Back up your site first.",
        "Not GitHub's alert: Obsidian's callout, with a title.",
        "Its body.",
        "A folded one",
        "Another body.",
        "Note that this paragraph stays where it is.",
    ]
    assert document.text.index("Note that") == GITHUB_ALERTS.index("Note that")
    assert "[!" not in document.text
    markers = [part for part in document.annotation if part.markup and "[!" in part.text]
    assert [(part.text, part.interpret_as) for part in markers] == [
        ("> [!NOTE]", "\n\n"), ("> [!warning]", "\n\n"), ("> [!TIP] ", "\n\n"), ("> [!faq]- ", "\n\n"),
    ]  # fmt: skip
    assert [i["rule"]["id"] for i in issues(client, "markdown", GITHUB_ALERTS, ["grammar"])] == []


HUGO_PAGE = """---
title: Start a site
---

Install version {{< param "version" >}} of the theme, then restart it.
{.lead}

{{< figure src="/img/bridge.jpg" caption="The new bridge at dawn" >}}

## Back up first {#backup}

{{% alert title="Note" %}}
Back up your site first.
{{% /alert %}}

{{< highlight go "linenos=table" >}}
# this is code
x := teh(1)
{{< /highlight >}}

{{< tabpane >}}
{{< tab header="hugo.toml" lang="toml" >}}
[params]
title = "teh site"
{{< /tab >}}
{{< /tabpane >}}

Write `{{< param "version" >}}` where the version goes.
"""

JEKYLL_PAGE = """---
layout: post
---

The {{ site.title }} team ships this release today.
{: .lead}

{% include note.html content="Back up your site first." %}

{%- comment -%}
Tell them about teh beta.
{%- endcomment -%}

{% highlight ruby %}
# this is code
def teh; end
{% endhighlight %}

Write `{{ site.title }}` where the name goes.
"""


DOCSY_TABS = """Set the option in your config file.

{{< tabpane >}}
{{< tab hugo.toml >}}
[params]
disable_toc = true
{{< /tab >}}
{{< tab header="Note" text=true >}}
The option works in every theme version.
{{< /tab >}}
{{< /tabpane >}}

{{< tabpane text=true >}}
{{% tab "Linux" %}}
Run the installer as root.
{{% /tab %}}
{{< tab header="Output" text=false >}}
teh output
{{< /tab >}}
{{< /tabpane >}}

{{< tabs >}}
{{< tab "macOS" >}}
Drag the app to your folder.
{{< /tab >}}
{{< /tabs >}}
"""


def test_a_docsy_tab_holds_code_unless_it_or_its_pane_says_text() -> None:
    """Docsy highlights a tab's body as code whatever its language, unless the tab (or else its
    ``tabpane``) says ``text=true`` (its layouts/_shortcodes/tabpane.html): Docsy's own print page
    showed "+++ ... disable_toc = true" in a tab named only "toml", read as prose. Other themes'
    tabs (hugo-book's ``{{< tabs >}}``) hold prose."""
    document = build_document(DOCSY_TABS, None, "markdown")
    assert shown_sentences(document) == [
        "Set the option in your config file.",
        "The option works in every theme version.",
        "Run the installer as root.",
        "Drag the app to your folder.",
    ]
    spans = [("{{< tab hugo.toml", "{{< /tab >}}"), ('{{< tab header="Output"', "teh output\n{{< /tab >}}")]
    expected = [(DOCSY_TABS.index(a), DOCSY_TABS.index(b) + len(b)) for a, b in spans]
    assert [(c.start, c.end) for c in document.code_blocks] == expected


@pytest.mark.parametrize(
    ("source", "listings", "sentences"),
    [
        (HUGO_PAGE, [("{{< highlight", "{{< /highlight >}}"), ("{{< tab ", "{{< /tab >}}")], [
            "Start a site",
            f"Install version {segments.MASKED_WORD} of the theme, then restart it.",
            "Back up first",
            "Back up your site first.",
            f"Write {segments.MASKED_WORD} where the version goes.",
        ]),
        (JEKYLL_PAGE, [("{% highlight", "{% endhighlight %}")], [
            f"The {segments.MASKED_WORD} team ships this release today.",
            f"Write {segments.MASKED_WORD} where the name goes.",
        ]),
    ],
    ids=["hugo", "jekyll"],
)
def test_template_tags_of_static_site_generators_are_markup(
    client, source: str, listings: list[tuple[str, str]], sentences: list[str]
) -> None:
    """Hugo's shortcodes and Liquid's tags were read as prose: LanguageTool flagged their
    arguments ("img", an unpaired quote), a highlighted listing's "# comment" became the title,
    its code was checked, and a tag alone on its line repeated (on Docsy's user guide, 2,310
    spelling and 114 repeated-line findings, most of them on tags and tabs of code). A tag is
    markup, read as one word inside a sentence (a version, a name) and as nothing alone; a
    listing (a ``highlight``, a tab that names its language) is a code block, a Liquid comment
    nothing, and so is an attribute list at the end of a line ("{#backup}", "{: .lead}"); a tag
    written inside inline code stays that one word."""
    document = build_document(source, None, "markdown")
    assert shown_sentences(document) == sentences
    assert document.title == ("Start a site" if "title:" in source else None)
    spans = [(source.index(opening), source.index(closing) + len(closing)) for opening, closing in listings]
    assert [(c.start, c.end) for c in document.code_blocks] == spans
    assert [i["text"] for i in issues(client, "markdown", source) if "{" in i["text"] or "teh" in i["text"]] == []


SHORTCODES = """Click the :material-play: button to start the tour. :tada:

| Feature | Done |
|---|---|
| Tabs | :white_check_mark: |

At 10:30:45 the key:value:other pair and `:code:` stay as written.

[:octicons-arrow-right-24: Learn more](start.md)
"""


def test_emoji_and_icon_shortcodes_read_as_pictures(client) -> None:
    """GitHub and MkDocs show ":tada:" and ":material-play:" as pictures; the view read the
    codes as prose, and LanguageTool flagged "material-play" and "simple-gitter" as misspelt
    (MkDocs' own docs and OPA's tables hold 85 of them). A code inside a sentence reads as one
    word, as an image does, and alone, at a block's edge or in a cell, as nothing; a time and
    colon-separated words stay text."""
    document = build_document(SHORTCODES, None, "markdown")
    assert shown_sentences(document) == [
        f"Click the {segments.MASKED_WORD} button to start the tour.", "Feature", "Done", "Tabs",
        f"At 10:30:45 the key:value:other pair and {segments.MASKED_WORD} stay as written.", "Learn more",
    ]
    assert [i["text"] for i in issues(client, "markdown", SHORTCODES) if i["check"] == "grammar"] == []


QUARTO_PAGE = """---
title: "Tables in a report"
format: html
---

![](parts.svg){width=100%}

The [stub]{.smallcaps} holds the [row labels]{style="color: teal"} of the tabel, as
[Figure 1](#fig-parts){.ref width=3} shows. Build it with [](`~great_tables.GT`), [](`GT.tab_stub`).

[](#top)

![A table of sales](sales.png){fig-align="center" width=85%}

::: {.callout-note}
Every part is optional [in a table]{.aside} {this one is a note}.
:::

::: {.callout-tip collapse="true" title="A tip for your tabels"}
Keep it short.
:::

```{python}
#| echo: false
GT(sales)
```
"""


def test_pandoc_attributes_spans_and_interlinks_are_markup(client) -> None:
    """Quarto and R Markdown pages size an image with Pandoc's attributes after it
    ("![](parts.svg){width=100%}", 28 times in great_tables' docs) and style words with a
    bracketed span ("[stub]{.smallcaps}"): the attributes were read as prose, the same line in
    every post got ``boilerplate.repeated-line``, and a span's brackets stayed in its sentence.
    Both are markup now; a list that opens with a key is one only right after an image, a link, a
    span or inline code, so braces in a sentence stay prose. A link with no text inside a
    sentence ("[](`~great_tables.GT`)", which Quarto's interlinks fill with the object's name)
    left a hole, and LanguageTool flagged the spaces around it: it reads as one word, and as
    nothing alone (an anchor). A call-out's ``title`` attribute is its title, as Quarto shows it."""
    document = build_document(QUARTO_PAGE, None, "markdown")
    assert [" ".join(s.split()) for s in shown_sentences(document)] == [
        "Tables in a report",
        "The stub holds the row labels of the tabel, as Figure 1 shows.",
        f"Build it with {segments.MASKED_WORD} , {segments.MASKED_WORD} .",
        "Every part is optional in a table {this one is a note}.",
        "A tip for your tabels",
        "Keep it short.",
    ]
    found = [(i["rule"]["id"], i["text"]) for i in issues(client, "markdown", QUARTO_PAGE) if i["check"] == "grammar"]
    assert found == [("MORFOLOGIK_RULE_EN_US", "tabel"), ("MORFOLOGIK_RULE_EN_US", "tabels")]


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("<p><span class='dropcap'>Z</span>imbabwe's 93-year-old leader quit in the 21<sup>st</sup> year of "
         "his rule, and the <b>caf</b>&eacute; owners cheered loudly.</p>", "html"),
        ("Zimbabwe's 93-year-old leader quit in the 21**st** year of his rule, and the *caf*&eacute; owners "
         "cheered loud*ly*.\n", "markdown"),
    ],
)
def test_markup_inside_a_word_leaves_one_word(source: str, fmt: str) -> None:
    """A drop capital ("<span>Z</span>imbabwe", on the Telegraph's pages), an ordinal's
    "<sup>st</sup>" or emphasis inside a word was blanked like any markup, so the view read two
    words ("Z imbabwe", "21 st"): more words, a sentence starting with "Z", an adverb not seen.
    The view writes ``segments.JOINER`` there, and the word goes on across it."""
    document = build_document(source, None, fmt)  # type: ignore[arg-type]
    plain = ("Zimbabwe's 93-year-old leader quit in the 21st year of his rule, and the café owners "
             "cheered loudly.")
    assert segments.word_count(document.text) == segments.word_count(plain) == 19  # "93-year-old" is three
    (sentence,) = document.sentences
    words = [w.of(document.text).replace(segments.JOINER, "") for w in segments.words(document.text)]
    assert words[0] == "Zimbabwe's" and "21st" in words and "café" in words
    assert {"Zimbabwe's", "21st", "café"} <= set(for_textstat(sentence.of(document.text)).split())  # textstat's words
    assert [span.start for span in adverbs(document.text, sentence)] == [source.index("loud")]


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_an_entity_inside_a_word_leaves_one_word_that_rules_find(client, fmt: str) -> None:
    """WordPress writes apostrophes as "&#8217;", and older systems accented letters as entities.
    The view wrote the character and blanked the rest of the entity, so "it&rsquo;s" read as two
    words ("it’", "s") and no rule spelling "won't" found "won&#8217;t". The rest is now joiners,
    and the rule packs search the text without them."""
    body = ("Officials say you won&#8217;t believe it&rsquo;s true: the caf&eacute; was closed, "
            "and the r&eacute;sum&eacute; lost.")
    text = f"<p>{body}</p>\n" if fmt == "html" else body + "\n"
    document = build_document(text, None, fmt)  # type: ignore[arg-type]
    plain = "Officials say you won’t believe it’s true: the café was closed, and the résumé lost."
    assert segments.word_count(document.text) == segments.word_count(plain) == 15
    found = [(i["rule"]["id"], i["text"]) for i in issues(client, fmt, text)]
    assert ("clickbait.you-wont-believe", "you won&#8217;t believe") in found


def test_a_headline_with_an_entity_inside_a_word_is_shown_and_judged_whole(client) -> None:
    """A headline read from HTML is shown, and read by the model, as its words: "won’t", not
    "won’      t" with the rest of the entity as a gap; its finding still covers it as written."""
    text = "<h1>You Won&#8217;t Believe What Happened Next</h1>\n<p>The council met on Monday.</p>\n"
    section = client.post("/v1/score", json={"format": "html", "text": text}).get_json()["checks"]["clickbait"]
    assert section["headline"]["text"] == "You Won’t Believe What Happened Next"
    (model,) = [i for i in section["issues"] if i["rule"]["id"] == "clickbait.model"]
    assert model["text"] == "You Won&#8217;t Believe What Happened Next"


def test_headlines_are_shown_and_judged_without_the_masked_words() -> None:
    """A headline is shown in the report and read by the model as the words it has: the mark of
    inline code in it is a space again, as the code was before it had a mark, and the spaces the
    view has for markup one space, as on the page; textstat reads it as one short word, as it
    reads an address. (A body line with code is no headline at all: see
    test_a_line_that_holds_code_or_an_address_is_no_headline.)"""
    source = "# Using `BigMap` with Keyv today\n\nSome text here.\n\nNew data for *Keyv* users now\n"
    document = build_document(source, None, "markdown")
    assert document.headline is not None and document.headline.text == "Using with Keyv today"
    (body,) = body_headlines(document)
    assert body.text == "New data for Keyv users now"
    assert for_textstat(f"Run {segments.MASKED_WORD} now") == f"Run {ADDRESS_READS_AS} now."


def test_a_clients_placeholder_is_one_word_too() -> None:
    """On ``/v2`` a client (LTeX) masks code itself, as ``Dummy0``: its view marks the word too."""
    parts = (Annotated("It installs it with apt-get. "), Annotated("`make test`", markup=True, interpret_as="Dummy0"),
             Annotated(" also uses npm."))
    document = annotated_document(parts, "en-US", CheckOptions())
    assert [s.of(document.original).split()[0] for s in document.sentences] == ["It", "`make"]
    assert segments.word_count(document.text) == 10


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_list_items_that_start_alike_are_not_a_repeated_beginning(client, fmt: str) -> None:
    """A list's items are parallel on purpose, as copydesk's sentence-starts measure holds:
    LanguageTool's rule on three sentences that start with the same word is not applied to
    them. The same sentences as paragraphs still get it."""
    items = ["If the name is missing, it is blank.", "If the file is not a list, it goes.",
             "If the licence is missing, we warn."]
    if fmt == "markdown":
        listed, paragraphs = "".join(f"- {i}\n" for i in items), "".join(f"{i}\n\n" for i in items)
    else:
        listed = "<ul>" + "".join(f"<li>{i}" for i in items) + "</ul>"
        paragraphs = "".join(f"<p>{i}</p>" for i in items)

    def repeated_beginnings(text: str) -> list[str]:
        found = issues(client, fmt, text, GRAMMAR)
        return [i["text"] for i in found if i["rule"]["id"] == "ENGLISH_WORD_REPEAT_BEGINNING_RULE"]

    assert repeated_beginnings(paragraphs) == ["If"]
    assert repeated_beginnings(listed) == []


def test_quoted_sentences_that_start_alike_are_not_a_repeated_beginning(client) -> None:
    """Quoted speech is the speaker's, as copydesk's sentence-starts measure holds: LanguageTool's
    rule on three sentences that start with the same word is not applied in a quotation, in
    plain text as in HTML (whose marks are entities); the writer's own sentences still get it,
    and so does a /v2 client, which gets LanguageTool's matches as sent."""
    quote = '"I was living in a flat. I am really shy. I felt left out. I wanted out," she said.'
    writer = "She moved in May. She found a room. She likes it now."

    def repeated_beginnings(fmt: str, text: str) -> list[str]:
        found = issues(client, fmt, text, GRAMMAR)
        return [i["text"] for i in found if i["rule"]["id"] == "ENGLISH_WORD_REPEAT_BEGINNING_RULE"]

    assert repeated_beginnings("text", f"{quote}\n\n{writer}\n") == ["She"]
    html = f"<p>{quote.replace(chr(34), '&#34;')}</p><p>{writer}</p>"
    assert repeated_beginnings("html", html) == ["She"]
    assert repeated_beginnings("text", quote.replace('"', "").replace(", she said", "") + "\n") == ["I", "I"]
    # On /v2 a LanguageTool client gets LanguageTool's matches as it sends them.
    response = client.post("/v2/check", data={"language": "en-US", "text": f"{quote}\n\n{writer}\n"})
    found = [m["rule"]["id"] for m in response.get_json()["matches"]]
    assert found.count("ENGLISH_WORD_REPEAT_BEGINNING_RULE") == 2


@pytest.mark.parametrize(
    "source",
    [
        "### Import from a local file\n\nImport it to docker via a pipe.\n\nImport it from a local archive.\n",
        "Import it to docker via a pipe.\n\n```console\n$ cat image.tgz | docker import -\n```\n\n"
        "Import it from a local archive.\n\nImport it from a folder.\n",
    ],
    ids=["heading", "code-block"],
)
def test_sentences_that_start_alike_across_a_heading_or_a_code_block_are_no_repeated_beginning(
    client, source: str
) -> None:
    """LanguageTool reads a heading as a sentence and the prose on either side of a code block as
    neighbours, so "### Import from a local file", "Import it ...", "Import it ..." started alike
    three times in a row, where copydesk's sentence-starts measure ends a run at a heading or a
    code block. The same sentences as paragraphs of prose still get LanguageTool's match."""
    def repeated_beginnings(text: str) -> list[str]:
        found = issues(client, "markdown", text, GRAMMAR)
        return [i["text"] for i in found if i["rule"]["id"] == "ENGLISH_WORD_REPEAT_BEGINNING_RULE"]

    assert repeated_beginnings(source) == []
    prose = source.replace("### ", "").replace("```console\n$ cat image.tgz | docker import -\n```\n\n", "")
    prose = prose.replace("Import from a local file\n", "Import from a local file.\n")
    assert repeated_beginnings(prose) == ["Import"]


def test_inline_html_line_breaks_and_keys_read_as_a_reader_reads_them(client) -> None:
    """In Markdown, an inline ``<br>`` read as nothing ("the<br>dev" was the misspelling "thedev",
    six times in one README's table) and an inline ``<kbd>`` as nothing too ("to a mark,
    <kbd>Enter</kbd> to reach" had consecutive spaces, in copydesk's own README). A line break is
    white space; a key, like inline code, one word."""
    text = (
        "| flag | when |\n|---|---|\n| dev | depended<br>on by the<br>dev hierarchy |\n\n"
        "Tab to a mark, <kbd>Enter</kbd> to reach its suggestions, <kbd>Esc</kbd> to come back.\n"
    )
    found = [(i["rule"]["id"], i["text"]) for i in issues(client, "markdown", text) if i["check"] == "grammar"]
    assert found == []
    slip = text.replace("to come back", "to to come back")
    assert [i["text"] for i in issues(client, "markdown", slip) if i["check"] == "grammar"] == ["to to"]


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_a_line_break_tag_ends_a_sentence_where_a_line_break_does(client, fmt: str) -> None:
    """Every HTML ``<br>`` ended a block, so a sentence hard-wrapped with ``<br>`` ("write up<br>the
    equivalent", as a blog's editor or WordPress writes a pasted line break) was two paragraphs,
    and LanguageTool flagged its second line's first word as a sentence start in lower case;
    while in Markdown every inline ``<br>`` was a space, so the lines of a list written with it
    were one sentence. Both read a ``<br>`` as a line break is read in plain text: the sentence
    goes on where the next line starts in lower case or the line ends with a comma or dash; the
    lines of an address or a list, and two ``<br>`` in a row, end a block."""

    def wrap(text: str) -> str:
        return f"<p>{text}</p>" if fmt == "html" else text + "\n"

    wrapped = wrap("It reminded me to write up<br/>\nthe equivalent for Emacs Lisp, and<br>an after advice.")
    view = prose_view(wrapped, fmt)
    assert [" ".join(view.text[a:b].split()) for a, b in view.blocks] == [
        "It reminded me to write up the equivalent for Emacs Lisp, and an after advice."
    ]
    assert not [i for i in issues(client, fmt, wrapped) if i["check"] == "grammar"]
    listed = wrap("Ingredients:<br>2 eggs<br>1 cup flour") + "\n" + wrap("Stir well,<br><br>then bake it.")
    view = prose_view(listed, fmt)
    assert [" ".join(view.text[a:b].split()) for a, b in view.blocks] == [
        "Ingredients:", "2 eggs", "1 cup flour", "Stir well,", "then bake it."
    ]
    # As in plain text: a brand opens a line of its own; a line that breaks off goes on.
    branded = wrap("Apple beats estimates<br>iPhone sales rose.<br>Prices of the<br>Model 3 fell.")
    view = prose_view(branded, fmt)
    assert [" ".join(view.text[a:b].split()) for a, b in view.blocks] == [
        "Apple beats estimates", "iPhone sales rose.", "Prices of the Model 3 fell."
    ]


def test_an_autolink_reads_as_the_address_it_shows(client) -> None:
    """``<https://...>`` shows its address, as a bare URL does; read as nothing, "open
    <http://127.0.0.1:8000/>." was "open ." to LanguageTool: a space before the full stop (the
    README's own "Run it" step)."""
    text = "Run `make run`, then open <http://127.0.0.1:8000/>. Write to <desk@example.com> for a key.\n"
    def grammar(text: str) -> list[str]:
        return [i["rule"]["id"] for i in issues(client, "markdown", text) if i["check"] == "grammar"]

    assert grammar(text) == []
    assert grammar(text.replace("for a key", "for a a key")) == ["ENGLISH_WORD_REPEAT_RULE"]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_byte_order_mark_is_nothing_but_one_code_point(client, fmt: str) -> None:
    """A file saved with a BOM reads as the same file without it, one code point later."""
    plain = {
        "markdown": "# You Will Never Believe What This Mayor Did Next\n\nThe mayor opened a bridge on Tuesday.\n",
        "html": "<h1>You Will Never Believe What This Mayor Did Next</h1>\n<p>The mayor opened a bridge.</p>\n",
    }[fmt]
    text = "\ufeff" + plain
    view, plain_view = prose_view(text, fmt), prose_view(plain, fmt)
    assert view.text == " " + plain_view.text
    assert (view.title, view.title_offset) == (plain_view.title, plain_view.title_offset + 1)
    assert reads(text, fmt) == reads(plain, fmt)

    def places(source: str) -> list[tuple[str, int, str]]:
        return sorted((i["rule"]["id"], i["offset"], i["text"]) for i in issues(client, fmt, source))

    assert places(text) == [(rule, offset + 1, words) for rule, offset, words in places(plain)]
    assert ("clickbait.model", plain.index("You"), "You Will Never Believe What This Mayor Did Next") in places(plain)


def test_a_table_cell_with_an_escaped_pipe_is_checked(client) -> None:
    """markdown-it reads a cell's "\\|" as "|": the cell is located word by word, the backslash
    stays markup and the pipe is prose, so the row is checked as the next one is."""
    text = "| Name | Note |\n|---|---|\n| Smith | He go home wrld \\| teh |\n| Jones | He go home wrld teh |\n"
    row = text.index("| Smith")
    backslash = text.index("\\|")
    view = prose_view(text, "markdown")
    assert_view_invariants(text, view)
    assert view.text[row : text.index("\n", row)] == "  Smith   He go home wrld  | teh  "
    assert "He go home wrld | teh" in reads(text, "markdown")

    def grammar(line: int) -> list[tuple[str, int, str]]:
        return sorted(
            (i["rule"]["id"], i["column"], i["text"])
            for i in issues(client, "markdown", text)
            if i["check"] == "grammar" and i["line"] == line
        )

    assert grammar(4) and [(rule, words) for rule, _, words in grammar(3)] == [
        (rule, words) for rule, _, words in grammar(4)
    ]
    assert ("MORFOLOGIK_RULE_EN_US", backslash - row + 4, "teh") in grammar(3)


def test_a_nul_in_markdown_leaves_the_paragraph_checked(client) -> None:
    """markdown-it reads NUL as U+FFFD; the reader does the same, so the text is found."""
    text = "He go\x00 home teh wrld.\n"
    view = prose_view(text, "markdown")
    assert_view_invariants(text, view)
    assert view.text == text
    found = {(i["rule"]["id"], i["offset"], i["text"]) for i in issues(client, "markdown", text)}
    assert {("HE_VERB_AGR[1]", 3, "go"), ("MORFOLOGIK_RULE_EN_US", 12, "teh")} <= found


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_a_table_row_is_no_headline(fmt: str) -> None:
    """Each cell is a block of its own: a row's cells side by side on one line looked like a short
    capitalised line, and the headline model judged every row (a lead too, first in the text; in
    plain text a row between pipes)."""
    rows = [("Jane Smith", "Mayor", "We balanced the books this year"), ("John Doe", "Clerk", "The minutes are online")]
    if fmt in ("markdown", "text"):
        table = "| Name | Role | Quote |\n|---|---|---|\n" + "".join(f"| {' | '.join(row)} |\n" for row in rows)
        listed = "Read Also:\n\nMayor Opens The New Bridge In Town\n"
    else:
        table = "<table>" + "".join(f"<tr><td>{'</td><td>'.join(row)}</td></tr>" for row in rows) + "</table>\n"
        listed = "<p>Read Also:</p>\n<p>Mayor Opens The New Bridge In Town</p>\n"
    for text in (table + "\n" + listed, "<!-- lead -->\n" + table if fmt == "html" else table):
        document = build_document(text, None, fmt)  # type: ignore[arg-type]
        lines = [span.of(document.text) for span in document.headline_spans]
        assert not [line for line in lines if "Smith" in line or "Doe" in line], lines
        assert document.headline is None or not {"Name", "Smith"} & set(document.headline.text.split())
    document = build_document(table + "\n" + listed, None, fmt)  # type: ignore[arg-type]
    assert "Mayor Opens The New Bridge In Town" in [span.of(document.text) for span in document.headline_spans]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_caption_is_no_headline(fmt: str) -> None:
    """A photo's caption stands on a line of its own and can end with a question mark ("Can you
    spot the anomaly?" under a chart): it said what the picture shows and the model judged it as
    a headline. The same words as a paragraph still count; a figure first on the page is no
    lead."""
    line = "Can You Spot The Anomaly In This Chart?"
    figure = f"<figure>\n<img src=chart.png>\n<figcaption>{line}</figcaption>\n</figure>\n"
    document = build_document(figure + "\n<p>The chart shows the prices.</p>\n", None, fmt)  # type: ignore[arg-type]
    assert document.headline_spans == ()
    assert document.headline is None
    paragraph = f"<p>{line}</p>\n"
    document = build_document(figure + "\n" + paragraph, None, fmt)  # type: ignore[arg-type]
    assert [span.of(document.text) for span in document.headline_spans] == [line]
    assert document.headline_spans[0].start > len(figure)


@pytest.mark.parametrize(
    ("fmt", "table"),
    [
        ("markdown", "| Symptom |\n|---|\n| My Responses Are Slow Today |\n| Private Content Is World Readable |\n"),
        ("html", "<table>\n<tr>\n<th>Symptom</th>\n</tr>\n<tr>\n<td><strong>My Responses Are Slow Today</strong></td>\n"
                 "</tr>\n<tr>\n<td>Private Content Is World Readable</td>\n</tr>\n</table>\n"),
    ],
)
def test_a_table_cell_on_a_line_of_its_own_is_no_headline(fmt: str, table: str) -> None:
    """HTML usually writes each cell on a line of its own, and a one-column Markdown table has one
    cell a line: such a cell stood alone like a headline, and the model judged it (Google's SRE
    book's "My responses are slow" and a table's heading cell). The same line after the table,
    as a paragraph, still counts."""
    after = "\nMy Responses Are Slow Today\n" if fmt == "markdown" else "<p>My Responses Are Slow Today</p>\n"
    document = build_document(table + after, None, fmt)  # type: ignore[arg-type]
    lines = [(span.start, span.of(document.text)) for span in document.headline_spans]
    assert lines == [(len(table) + after.index("My"), "My Responses Are Slow Today")]
    assert document.headline is None


@pytest.mark.parametrize(
    ("fmt", "items", "links"),
    [
        ("markdown", "- Create Reproducible Builds Of Your Applications\n- Manage Your Manifest Files\n",
         "Read also:\n\n- [Mayor Opens The New Bridge In Town](/bridge)\n- [Why The Council Said No](/no)\n"),
        ("html", "<ul>\n<li>Create Reproducible Builds Of Your Applications</li>\n<li><p>Manage Your Manifest Files"
                 "</p></li>\n</ul>\n",
         "<p>Read also:</p>\n<ul>\n<li><a href=/bridge>Mayor Opens The New Bridge In Town</a></li>\n"
         "<li><a href=/no><em>Why</em> The Council Said No</a></li>\n</ul>\n"),
    ],
)
def test_a_list_item_is_a_headline_only_as_a_links_text(fmt: str, items: str, links: str) -> None:
    """A list item stands on a line of its own like a headline, and the model judged a README's
    features ("Create reproducible builds of your Kubernetes applications"), the steps of a
    how-to and a blog's bullet points as headlines. An item that is the text of a link is one of
    a list of other pages' headlines ("Read also"), which still count; a first item is no lead."""
    document = build_document("Our tool does two things:\n\n" + items + "\n" + links, None, fmt)  # type: ignore[arg-type]
    headlines = [segments.as_shown(span.of(document.text)) for span in document.headline_spans]
    assert headlines == ["Mayor Opens The New Bridge In Town", "Why The Council Said No"]
    assert build_document(items, None, fmt).headline is None  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_line_that_holds_code_or_an_address_is_no_headline(fmt: str) -> None:
    """README lines such as "Add to your `Cargo.toml`" and "Here's the above example as code:
    http://play.golang.org/p/..." stood alone like headlines, and the model judged them; no
    headline of the clickbait corpora holds code or an address. The same line without them still
    counts, and a first line with an address is no lead."""
    address = "Here Is The Whole Example As Code: https://play.example.org/p/abc"
    lines = [address, "Add The Crate To Your Manifest File Today"]
    if fmt == "text":
        text = "It ends as prose does.\n\n" + "\n\n".join(lines) + "\n"
    elif fmt == "markdown":
        lines.insert(1, "Add The Crate To Your `Cargo.toml` File")
        text = "It ends as prose does.\n\n" + "\n\n".join(lines) + "\n"
    else:
        lines.insert(1, "Add The Crate To Your <code>Cargo.toml</code> File")
        text = "<p>It ends as prose does.</p>\n\n" + "\n\n".join(f"<p>{line}</p>" for line in lines) + "\n"
    document = build_document(text, None, fmt)  # type: ignore[arg-type]
    assert [span.of(document.text) for span in document.headline_spans] == [lines[-1]]
    assert build_document(address + "\n\nIt ends as prose does.\n", None, fmt).headline is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fmt", "contents"),
    [
        ("markdown", "- [Why Are Python Strings Immutable?](#why-immutable)\n- [How Do I Read A File?](#read)\n"),
        ("html", '<ul>\n<li><p><a class="reference internal" href="#why-immutable">Why Are Python Strings Immutable?'
                 '</a></p></li>\n<li><a href="#read">How Do I Read A File?</a></li>\n</ul>\n'),
    ],
)
def test_a_table_of_contents_entry_is_no_headline(fmt: str, contents: str) -> None:
    """A FAQ's table of contents lists its questions as links to where they are answered on the
    same page (Sphinx and MkDocs write one): the entries are the headings' words, no other
    pages' headlines, and the model and the question rule judged each twice, once in the list."""
    document = build_document("A few questions come up often.\n\n" + contents, None, fmt)  # type: ignore[arg-type]
    assert document.headline_spans == ()
    links = contents.replace("#why-immutable", "/why-immutable").replace("#read", "/read")
    document = build_document("A few questions come up often.\n\n" + links, None, fmt)  # type: ignore[arg-type]
    headlines = [segments.as_shown(span.of(document.text)) for span in document.headline_spans]
    assert headlines == ["Why Are Python Strings Immutable?", "How Do I Read A File?"]


@pytest.mark.parametrize(
    ("fmt", "source"),
    [
        ("markdown", "# Tool\n\nIt parses JSON pointers.\n\nImport This Library In Your Project\n\n"
                     "```go\nimport x\n```\n\nMayor Opens The New Bridge In Town\n\nThe bridge opened.\n"),
        ("html", '<h1>Tool</h1>\n<p>It shows the history.</p>\n\n<div class="paragraph"><p>If You Also Want To '
                 'See Complete Diffs, Use</p></div>\n<div class="listingblock"><div class="content">\n<pre><code>'
                 "$ git log -p</code></pre></div></div>\n<p>Mayor Opens The New Bridge In Town</p>\n\n"
                 "<p>The bridge opened.</p>\n"),
    ],
)
def test_a_line_that_leads_into_code_is_no_headline(fmt: str, source: str) -> None:
    """A README's "Import this library in your project" and git's "If you also want to see
    complete diffs at each step, use" stand alone before a block of code, which they introduce:
    the model judged them as headlines. A line with prose after it still stands for one."""
    document = build_document(source, None, fmt)  # type: ignore[arg-type]
    headlines = [segments.as_shown(span.of(document.text)) for span in document.headline_spans]
    assert headlines == ["Tool", "Mayor Opens The New Bridge In Town"]


@pytest.mark.parametrize("fmt", ["markdown", "mdx"])
def test_a_quotation_whose_last_line_is_empty_and_unended_is_read(client, fmt: str) -> None:
    """mdit-py-plugins' container rule (0.7.0, since replaced by our own marker lines) read one
    character past a source that ends on an empty line of a quotation, with no line break after
    it: an IndexError, and a 500."""
    text = "> Start the service.\n>:::T\n>"
    response = client.post("/v1/score", json={"text": text, "format": fmt, "checks": ["readability"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert_view_invariants(text, prose_view(text, fmt))
