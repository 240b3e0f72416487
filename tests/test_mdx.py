"""The MDX reader (``read_mdx`` in ``service/markup/markdown.py``): Markdown with JavaScript in
it, read as MDX parses it. The invariants every reader keeps (same length, line breaks in place,
LanguageTool's findings as on the rendered prose) run on ``fixtures/docs/markup/install-guide.mdx``
in test_markup.py."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from support import shown_sentences

from service.markup import prose_view
from service.score_request import build_document
from service.text import segments

MARK = segments.MASKED_WORD


def sentences(source: str, fmt: str = "mdx") -> list[str]:
    return shown_sentences(build_document(source, None, fmt))


def test_imports_components_and_expressions_read_as_a_reader_sees_them() -> None:
    """ESM is no prose; a component's tags are markup and its children Markdown (a tab's code
    fence is code, its emphasis markup, with or without blank lines around it); an expression
    inside a sentence shows a value, one word, and so does a component with no children (an
    input field, an icon) unless it stands on a line of its own; a comment or a heading's id is
    nothing."""
    page = (
        "import Tabs from '@theme/Tabs';\n"
        "export const tabs = [\n  {label: 'Linux', value: 'linux'},\n];\n\n"
        "This page installs version {props.version} of the tool.\n\n"
        'Set the token <InlineEditable paramKey="token"/>, then save.\n<FeatureLink id="x" />\nSave it.\n\n'
        "{/* Screenshots from 2.4. */}\n\n"
        "<Tabs values={tabs} when={a > b}>\n<TabItem value=\"linux\">\nRun the **installer** now.\n\n"
        "```bash\nsudo apt install tool\n```\n</TabItem>\n</Tabs>\n\n"
        "## Check a file {#check}\n"
    )
    assert sentences(page) == [
        f"This page installs version {MARK} of the tool.",
        f"Set the token {MARK} , then save.",
        "Save it.",
        "Run the installer now.",
        "Check a file",
    ]
    # Read as Markdown, the same page shows its code as prose.
    assert sentences(page, "markdown")[:3] == [
        "import Tabs from '@theme/Tabs'; export const tabs = [ {label: 'Linux', value: 'linux'}, ];",
        "This page installs version {props.version} of the tool.",
        "Set the token , then save.",
    ]


def test_an_expression_at_a_blocks_edge_shows_a_value(client) -> None:
    """An expression shows a value wherever it stands in a sentence, at its start or end too:
    read as nothing there, "{count} settings are new." opened with a lower-case word, and
    LanguageTool flagged its capital. Alone in its block it is nothing."""
    text = "{count} settings are new.\n\nThe version is {version}\n\n{banner}\n\nThe end.\n"
    assert sentences(text) == [f"{MARK} settings are new.", f"The version is {MARK}", "The end."]
    report = client.post("/v1/score", json={"text": text, "format": "mdx", "checks": ["grammar"]}).get_json()
    assert report["checks"]["grammar"]["issues"] == []


def test_esm_opens_only_at_the_top_level() -> None:
    """"import" and "export" open ESM at the start of a top-level block; in a list, a quotation,
    or a paragraph's next line they are words."""
    assert sentences("import x from 'y';\nexport const z = 1;\n\nThe text.\n") == ["The text."]
    assert sentences("- import the file.\n\n> export the data.\n\nWe import\nimport the file.\n") == [
        "import the file.",
        "export the data.",
        "We import import the file.",
    ]


def test_a_components_code_over_blank_lines_is_no_prose() -> None:
    """A line of tags is a block of its own, and an expression that fills lines runs over blank
    lines to its closing brace: the script a component shows (OPA's deployment guides) is no
    prose, its blank lines no paragraph breaks."""
    source = (
        "Run this script:\n\n<ParamCodeBlock>\n{`#!/bin/bash\n\ncurl -L -o opa https://x.y/opa\n"
        "chmod 755 opa\n`}\n</ParamCodeBlock>\n\nThen start it.\n"
    )
    assert sentences(source) == ["Run this script:", "Then start it."]


def test_a_tag_over_lines_in_a_list_item_is_markup() -> None:
    """markdown-it takes a list item's indentation off its lines; the tag is still found in the
    source, and the words after it are not looked for inside it."""
    source = '- Read the <Tooltip\n    term="the verdict">verdict</Tooltip> at the end.\n'
    assert sentences(source) == ["Read the verdict at the end."]
    view = prose_view(source, "mdx").text
    shown = source.index(">verdict") + 1
    assert view[shown : shown + 7] == "verdict" and "verdict" not in view[:shown]


def test_comments_carry_directives() -> None:
    """Both comments an MDX page can hold switch findings off: MDX's own and HTML's (which
    Docusaurus reads), also over blank lines."""
    source = (
        "Before.\n\n{/* copydesk-disable grammar */}\n\nOff.\n\n{/* copydesk-enable */}\n\n"
        "<!-- copydesk-disable\n\nstyle -->\n\nOff again.\n"
    )
    view = prose_view(source, "mdx")
    assert [(s.start, s.selectors) for s in view.suppressions] == [
        (source.index("{/* copydesk-disable"), ("grammar",)),
        (source.index("<!--"), ("style",)),
    ]
    assert [s.end for s in view.suppressions] == [source.index("{/* copydesk-enable"), len(source)]
    assert "Off again." in view.text and "style" not in view.text


def test_unclosed_braces_and_tags_are_text() -> None:
    """What MDX would refuse is read as the text it is, not dropped."""
    assert sentences("Use { and < x and {a as you like.\n") == ["Use { and < x and {a as you like."]


def test_a_finding_points_at_the_word_in_the_source(client) -> None:
    text = "import T from 'x';\n\n<T a={[{b: 1}]}>\nRead {props.n} and teh end.\n</T>\n"
    report = client.post("/v1/score", json={"text": text, "format": "mdx", "checks": ["grammar"]}).get_json()
    found = [(i["text"], i["offset"], i["line"], i["column"]) for i in report["checks"]["grammar"]["issues"]]
    at = text.index("teh")
    assert found == [("teh", at, 4, 20)]


PIECES = [
    "import x from 'y';\n", "export const a = {b: 1};\n", "\n", "text ", "{a}", "{/* c */}", "{", "}",
    "<A>", "</A>", "<A b={c}>", "<A b=\"c\" />", "<>", "</>", "<", ">", "- ", "> ", "# ", "```\n", "`c`",
    "**", "_", "<!--", "-->", "\r\n", "  ", ":::tip\n", "[a](b)",
]


@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_any_mix_of_constructs_keeps_every_offset(pieces: list[str]) -> None:
    source = "".join(pieces)
    view = prose_view(source, "mdx")
    assert len(view.text) == len(source)
    assert [i for i, ch in enumerate(view.text) if ch in "\r\n"] == [i for i, ch in enumerate(source) if ch in "\r\n"]
    if view.annotation:
        assert "".join(part.text for part in view.annotation) == source
    for i, ch in enumerate(view.text):
        assert ch in (" ", source[i], MARK, segments.JOINER) or source[i] == "&"
