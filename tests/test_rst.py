"""The reStructuredText reader (``service/markup/rst.py``): what it reads as prose, where it says
the prose stands, and what it refuses. The invariants every reader keeps (same length, line
breaks in place, LanguageTool's findings as on the rendered prose) run on
``fixtures/docs/markup/release-notes.rst`` in test_markup.py."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import shown_sentences

from service.markup import Unreadable, prose_view
from service.markup.rst import MAX_DEPTH, MAX_TABLE_COLUMNS
from service.score_request import build_document
from service.text import segments

SPHINX_PAGE = """Install the tool
================

Run :command:`pip install copydesk`, then call :func:`copydesk.check` on your text.
Read :ref:`the setup guide <setup>` or :doc:`the FAQ <faq>` first, and see :pep:`8`.

.. versionadded:: 2.0
   The checker reads reStructuredText.

.. seealso:: The guide to the gate.

.. py:function:: check(text, *, language="en-US")

   Checks the text and returns its report.

.. tab-set::

   .. tab-item:: Linux

      Install it with your package manager.

.. toctree::
   :maxdepth: 2

   intro
   usage

.. autoclass:: copydesk.Report

.. only:: html

   This line shows only on the web.

+------------+---------------+
| Option     | Meaning       |
+============+===============+
| ``--jobs`` | Files checked |
|            | at once.      |
+------------+---------------+

.. copydesk-disable grammar

Between the two comments, grammar is off.

.. copydesk-enable
"""


def sentences(source: str) -> list[str]:
    return shown_sentences(build_document(source, None, "rst"))


def test_sphinx_roles_and_directives_read_as_what_a_reader_sees() -> None:
    """A role reads as one word (a command, a function), or as the title it gives a link; a
    directive that holds prose reads as its content (a version note, a "see also", a
    function's description, a tab and its label); one that holds none (a table of contents,
    an API page generated from code) is nothing; a grid table's cell that runs over two lines
    is read a line at a time, between the other cells."""
    mark = segments.MASKED_WORD
    assert sentences(SPHINX_PAGE) == [
        "Install the tool",
        f"Run {mark} , then call {mark} on your text.",
        f"Read the setup guide or the FAQ first, and see {mark} .",
        "The checker reads reStructuredText.",
        "The guide to the gate.",
        "Checks the text and returns its report.",
        "Linux",
        "Install it with your package manager.",
        "This line shows only on the web.",
        "Option",
        "Meaning",
        mark,
        "Files checked",
        "at once.",
        "Between the two comments, grammar is off.",
    ]
    view = prose_view(SPHINX_PAGE, "rst")
    assert view.title == "Install the tool" and view.title_offset == 0
    assert [SPHINX_PAGE[a:b] for a, b in view.links] == ["the setup guide", "the FAQ"]
    cells = ("Option", "Meaning", "``--jobs``", "Files checked", "at once.")
    assert [start for start, _ in view.table_cells] == [SPHINX_PAGE.index(cell) for cell in cells]
    for hidden in ("toctree", "maxdepth", "intro", "autoclass", "Report", "html", "py:function", "language="):
        assert hidden not in view.text
    start = SPHINX_PAGE.index("Between")
    (suppression,) = view.suppressions
    assert suppression.start < start < suppression.end


def test_a_csv_tables_cells_are_found_though_docutils_counts_their_lines_from_the_table() -> None:
    """docutils numbers a "csv-table"'s cells from its content's first line (line 1 of the
    page's): Sphinx's LaTeX page lost 107 of them."""
    source = (
        "Intro text here.\n\n.. csv-table::\n   :header: Option, Meaning\n\n"
        "   jobs, Files at once\n   bar, The pass mark\n"
    )
    view = prose_view(source, "rst")
    cells = ("Option", "Meaning", "jobs", "Files at once", "bar", "The pass mark")
    assert [source[a:b] for a, b in view.table_cells] == list(cells)
    # A cell that holds only what a role makes up (":pep:`8`" shows "PEP 8") is a cell too.
    made_up = "=====  =========\nStyle  :pep:`8`\n=====  =========\n"
    starts = [start for start, _ in prose_view(made_up, "rst").table_cells]
    assert starts == [made_up.index("Style"), made_up.index(":pep:")]


@pytest.mark.parametrize(
    ("source", "phrases"),
    [
        # A cell's "`x`" is found inside another cell's "``x``": the two words overlapped and the
        # annotated text repeated the source (docutils' own mathematics page).
        ("=========  =========\n``s_x``    `s_x`\nsee ``a``  and `a`\n=========  =========\n", ["see", "and"]),
        # docutils puts a footer first in the tree: the reader ran to the page's end and lost
        # every block before it (docutils' tuftig.css page).
        ("Title\n=====\n\nThe first paragraph.\n\n.. footer:: Location and date\n", ["Title", "The first paragraph."]),
        # A nested line block's line is its end's: its lines were looked for after it.
        ("Line blocks\n-----------\n\n| A line block.\n|     Each line begins with a bar.\n|     Indents are kept.\n"
         "| A long line goes on\n  on the next.\n|     An indented one\n  too.\n\nThe end.\n",
         ["A line block.", "Each line begins with a bar.", "Indents are kept.", "An indented one", "The end."]),
    ],
    ids=["cells-with-the-same-code", "a-footer", "a-nested-line-block"],
)
def test_shapes_of_real_pages_keep_their_text_and_offsets(source: str, phrases: list[str]) -> None:
    view = prose_view(source, "rst")
    assert "".join(part.text for part in view.annotation) == source
    for phrase in phrases:
        at = source.index(phrase)
        assert view.text[at : at + len(phrase)] == phrase
    assert "Location" not in view.text  # a footer is page furniture


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("A *b* **c** ``d`` e.", "A b c Dummy0 e."),
        ("Words *a* *b* end.", "Words a b end."),
        ("See `the guide <https://x.org>`_, then go.", "See the guide, then go."),
        # The address on the next line is markup with its line break: no space before the comma.
        ("See `the guide\n<https://x.org>`_, then go.", "See the guide, then go."),
        ("Visit `Python`_ now.\n\n.. _Python: https://python.org\n", "Visit Python now.\n\n\n"),
        ("Read :ref:`the setup guide\n<setup>`, then go.", "Read the setup guide, then go."),
        ("The protocol [#]_, and more [#]_ here.\n\n.. [#] A note.\n.. [#] Two.\n",
         "The protocol, and more here.\n\n\n\nA note.\n\n\nTwo.\n"),
        ("An escape \\*star\\* here.", "An escape *star* here."),
        ("Use |name| today.\n\n.. |name| replace:: copydesk\n", "Use Dummy0 today.\n\n\n"),
    ],
)
def test_the_annotated_text_reads_as_a_reader_reads(source: str, expected: str) -> None:
    annotation = prose_view(source, "rst").annotation
    assert "".join(part.text for part in annotation) == source
    reads = "".join(part.interpret_as if part.markup else part.text for part in annotation)
    assert reads.strip("\n") == expected.strip("\n")


def test_grammar_findings_point_at_the_words_in_the_source(client) -> None:
    source = (
        "Notes\n=====\n\n* The service starts in half the time.\n* He go home early.\n\n"
        ".. note::\n   Reports list teh rules that fired.\n"
    )
    report = client.post("/v1/score", json={"format": "rst", "text": source, "checks": ["grammar"]}).get_json()
    found = {issue["text"]: issue for issue in report["checks"]["grammar"]["issues"]}
    assert {"go", "teh"} <= set(found)
    for text, issue in found.items():
        assert source[issue["offset"] : issue["offset"] + issue["length"]] == text
    assert (found["teh"]["line"], found["teh"]["column"]) == (8, 17)


def test_nesting_deeper_than_docutils_can_read_is_refused_with_a_422(client) -> None:
    """docutils recurses once a level of indentation and ran out of stack (a RecursionError,
    a 500); past :data:`MAX_DEPTH` levels the text is refused, as bad input."""
    deep = "".join("  " * level + "- item\n\n" for level in range(MAX_DEPTH + 5))
    with pytest.raises(Unreadable):
        prose_view(deep, "rst")
    response = client.post("/v1/score", json={"format": "rst", "text": deep})
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert "nests deeper" in response.get_json()["errors"][0]["message"]
    shallow = "".join("  " * level + "- item\n\n" for level in range(MAX_DEPTH - 10))
    assert client.post("/v1/score", json={"format": "rst", "text": shallow}).status_code == 200


@pytest.mark.parametrize("kind", ["grid", "simple"])
def test_a_table_wider_than_docutils_reads_in_time_is_refused_with_a_422(client, kind: str) -> None:
    """docutils lays out each cell of a table's row against the whole row: a table of thousands
    of columns held a worker for minutes. Past MAX_TABLE_COLUMNS the text is refused."""

    def table(columns: int) -> str:
        if kind == "grid":
            border = "+" + "-----+" * columns + "\n"
            return border + "|" + " abc |" * columns + "\n" + border
        border = " ".join(["====="] * columns) + "\n"
        return border + " ".join(["abc  "] * columns) + "\n" + border

    with pytest.raises(Unreadable, match=f"wider than {MAX_TABLE_COLUMNS} columns"):
        prose_view(table(MAX_TABLE_COLUMNS + 1), "rst")
    response = client.post("/v1/score", json={"format": "rst", "text": table(4000), "checks": ["readability"]})
    assert response.status_code == 422 and "wider than" in response.get_json()["errors"][0]["message"]
    view = prose_view("Before.\n\n" + table(MAX_TABLE_COLUMNS), "rst")
    assert len(view.table_cells) == MAX_TABLE_COLUMNS


# Pieces of reStructuredText, put together at random: every reader keeps the view the source's
# length with its line breaks in place, and the annotated text the source cut into parts.
PIECES = [
    "Title\n=====\n", "Some *text* and **more** here.", "``code``", "`link <https://x.org>`_", ":func:`f`",
    ":ref:`a <b>`", "|sub|", "[#]_", "\\*", "*", "`", "* item\n", "1. item\n", "   indented\n", "\n",
    ".. note:: A note.\n", ".. toctree::\n", ".. code-block:: python\n\n   x = 1\n", "::\n\n    code\n",
    "+---+---+\n| a | b |\n+---+---+\n", "=== ===\na   b\n=== ===\n", "Term\n   Definition.\n",
    ":field: value\n", ".. _target:\n", ".. |sub| replace:: text\n", ".. [#] Note.\n", "\t", "\r\n", " ",
    "é", "😀", "\ufeff",
]


def test_any_mix_of_constructs_keeps_every_offset() -> None:
    """Each mix docutils can read (one it refuses is Unreadable, a 422) keeps every offset; most
    mixes must be readable for that to mean something."""
    read: list[bool] = []

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(PIECES), max_size=30))
    def keeps(pieces: list[str]) -> None:
        source = "".join(pieces)
        try:
            view = prose_view(source, "rst")
        except Unreadable:
            read.append(False)
            return
        assert len(view.text) == len(source)
        assert [i for i, ch in enumerate(view.text) if ch in "\r\n"] == [
            i for i, ch in enumerate(source) if ch in "\r\n"
        ]
        if view.annotation:
            assert "".join(part.text for part in view.annotation) == source
        for start, end in (*view.blocks, *view.headings, *view.links, *view.table_cells, *view.list_items):
            assert 0 <= start < end <= len(source)
        read.append(True)

    keeps()
    assert sum(read) >= len(read) // 2, (sum(read), len(read))  # all 300 in three runs when written


def test_a_version_notes_text_goes_on_after_its_label(client) -> None:
    """Sphinx shows "Changed in version 2.0:" before a version note's text (10 of the 43 capital
    findings on Sphinx's own docs were there): its lowercase first word goes on that sentence,
    so LanguageTool's capital rule does not hold there, where it still does in a paragraph of
    its own, after the note."""
    text = (
        "Options\n=======\n\n.. versionchanged:: 2.0\n   the foo argument was removed.\n\n"
        "   the second paragraph opens a sentence.\n\n.. versionadded:: 1.5 the new option.\n\n"
        "the last option stays.\n"
    )
    report = client.post("/v1/score", json={"text": text, "format": "rst", "checks": ["grammar"]}).get_json()
    found = [(i["rule"]["id"], i["offset"]) for i in report["checks"]["grammar"]["issues"]]
    capital = "UPPERCASE_SENTENCE_START"
    assert found == [(capital, text.index("the second")), (capital, text.index("the last"))]
