"""What goes to LanguageTool: non-prose masked, long texts cut into bounded pieces, and every
piece a slice of the text as sent (so offsets map back by adding where it starts)."""

from __future__ import annotations

import pytest

from service.findings import Annotated
from service.languagetool.pieces import MAX_SENTENCE_CHARS, Piece, as_sent, batches, mask, paragraph_starts, plan
from service.score_request import build_document


def masked(text: str) -> list[tuple[str, str]]:
    return [(part.text, part.interpret_as) for part in mask([Annotated(text)]) if part.markup]


def test_prose_is_left_alone() -> None:
    assert masked("Putin left Jinping till the car, know the meaning! 😀 Read more at example.com.") == []


@pytest.mark.parametrize(
    ("text", "run", "reads_as"),
    [
        ("A word " + "x" * 49 + " here.", "x" * 49, "Dummy0"),
        ("Emoji " + "😀" * 33 + " end.", "😀" * 33, "Dummy0"),
        ("Spaced " + "😀 " * 16 + "😀 end.", ("😀 " * 16 + "😀"), "Dummy0"),
        ("Blank" + " " * 65 + "gap.", " " * 65, " "),
        ("Rule\n" + "-=" * 40 + "\nend.", "-=" * 40, "Dummy0"),
    ],
)
def test_non_prose_runs_are_masked(text: str, run: str, reads_as: str) -> None:
    assert masked(text) == [(run, reads_as)]


def test_masked_runs_read_as_words_that_differ_from_each_other_and_from_the_markup() -> None:
    """Two runs side by side must not read as "Dummy Dummy", a repeated word to LanguageTool."""
    first, second = "x" * 49, "y" * 49
    assert masked(f"See {first} {second} here.") == [(first, "Dummy0"), (second, "Dummy1")]
    document = build_document(f"Run `make` then {first} {second}.", None, "markdown")
    words = [part.interpret_as for part in mask(document.annotation) if part.interpret_as.startswith("Dummy")]
    assert len(words) == 3 and len(set(words)) == 3


def test_languagetool_finds_no_repeated_word_in_two_masked_runs(client) -> None:
    long_url = "https://example.org/" + "a" * 40
    text = f"Read the notes at {long_url} {long_url}/b before you start."
    response = client.post("/v1/score", json={"text": text, "checks": ["grammar"]})
    assert response.status_code == 200
    assert response.get_json()["checks"]["grammar"]["status"] == "ok"
    assert [issue["rule"]["id"] for issue in response.get_json()["checks"]["grammar"]["issues"]] == []


@pytest.mark.parametrize(
    "text", ["A word " + "x" * 48 + " here.", "Emoji " + "😀" * 32 + " end.", "a" + " " * 64 + "b"]
)
def test_runs_at_the_limits_stay_prose(text: str) -> None:
    assert masked(text) == []


def test_a_short_text_is_one_piece_of_plain_text() -> None:
    text = "One paragraph.\n\nAnother one."
    (piece,) = plan(text, (), text, 10_000)
    assert piece.start == 0 and piece.parts == (Annotated(text),)


def _pieces(text: str, max_chars: int) -> list[tuple[int, str]]:
    return [(piece.start, piece.text) for piece in plan(text, (), text, max_chars)]


def test_long_texts_are_cut_at_paragraphs_first() -> None:
    paragraphs = [f"Paragraph number {n} has a few words in it." for n in range(60)]
    text = "\n\n".join(paragraphs)
    pieces = _pieces(text, 1000)
    assert len(pieces) > 2
    assert "".join(piece for _, piece in pieces) == text
    for start, piece in pieces:
        assert text[start : start + len(piece)] == piece and len(piece) <= 1000
        assert piece.startswith("Paragraph number")


def test_then_at_sentences_then_at_spaces_within_a_shorter_window() -> None:
    sentences = " ".join(f"Sentence {n} ends here." for n in range(200))
    pieces = _pieces(sentences, 1000)
    assert len(pieces) > 1 and all(piece.startswith("Sentence") and len(piece) <= 1000 for _, piece in pieces)
    endless = "words and more words " * 400
    pieces = _pieces(endless, 5000)
    assert len(pieces) > 1 and "".join(piece for _, piece in pieces) == endless
    assert all(len(piece) <= MAX_SENTENCE_CHARS for _, piece in pieces[:-1])
    assert all(piece.endswith(" ") for _, piece in pieces[:-1])  # cut between words, never inside one


def test_a_stretch_languagetool_reads_as_one_sentence_is_cut_however_short_the_text() -> None:
    """LanguageTool ends a sentence at a full stop or a paragraph break, not at a line break:
    5,000 lines of "$$a" (20,000 characters) were one sentence to it, copied into each of its
    findings (8,000 characters made 36 MB), and a server with the default 1 GB heap ran out of
    it and exited.
    Such a stretch is cut as a long sentence is, in a text shorter than a piece too; lines that
    end with full stops are one piece still."""
    lines = "$$a\n" * 5_000
    pieces = _pieces(lines, 10_000)
    assert "".join(piece for _, piece in pieces) == lines
    assert all(len(piece) <= MAX_SENTENCE_CHARS and piece.startswith("$$a") for _, piece in pieces)
    short = "$$a\n" * 500  # 2,000 characters: shorter than a piece, longer than a sentence may be
    assert len(_pieces(short, 10_000)) == 2
    sentences = "Words are here.\n" * 600  # 9,600 characters
    assert _pieces(sentences, 10_000) == [(0, sentences)]
    # The paragraph cache's units are joined again into checks: never across such a cut.
    checks = batches(plan(lines, (), lines, 10_000, paragraphs=True), 10_000)
    assert len(checks) > 1 and all(len(check.text) <= MAX_SENTENCE_CHARS for check, _ in checks)
    paragraphs = "\n\n".join(["$$a\n" * 300] * 6)  # 1,200-character stretches apart: one check
    assert len(batches(plan(paragraphs, (), paragraphs, 10_000, paragraphs=True), 10_000)) == 1


def test_a_languagetool_api_clients_text_is_cut_only_beyond_a_piece_or_inside_such_a_stretch() -> None:
    """/v2 sends a client's text as it came, since LanguageTool's answer to it is the client's:
    blank, or full of runs copydesk masks elsewhere, it is one piece up to ``max_chars``, unless
    LanguageTool would read a stretch of it as one sentence longer than MAX_SENTENCE_CHARS.
    Longer, it is cut as plan cuts it."""
    long_prose = "A word-of-more-than-forty-eight-characters-that-is-masked-elsewhere here.\n" * 2_000
    assert as_sent(long_prose, (), long_prose, 200_000) == [Piece(0, (Annotated(long_prose),))]
    assert as_sent("  ", (), "  ", 10_000) == [Piece(0, (Annotated("  "),))]
    pieces = as_sent(long_prose, (), long_prose, 10_000)
    assert [piece.text for piece in pieces] == [piece.text for piece in plan(long_prose, (), long_prose, 10_000)] != [
        long_prose
    ]
    assert all(len(piece.parts) == 1 and not piece.parts[0].markup for piece in pieces)  # not masked
    parts = (Annotated("Intro. "), Annotated("<b>", markup=True), Annotated("Teh item\n" * 400))
    text = "".join(part.text for part in parts)
    pieces = as_sent(text, parts, "Intro. " + "   " + "Teh item\n" * 400, 10_000)
    assert len(pieces) == 3
    assert [part for piece in pieces for part in piece.parts if part.markup] == [parts[1]]
    assert "".join(piece.text for piece in pieces) == text
    assert all(text[piece.start : piece.end] == piece.text for piece in pieces)
    assert all(len(piece.text) <= MAX_SENTENCE_CHARS for piece in pieces[1:])


def test_no_piece_opens_with_a_paragraph_that_goes_on_in_lower_case() -> None:
    """A paragraph that opens in lower case goes on from the one before (after a list or a code
    block); LanguageTool reads it first in a piece as a sentence that starts in lower case."""
    paragraphs = [f"Step {n} runs a command:\n\nand then the next one starts." for n in range(60)]
    text = "\n\n".join(paragraphs)
    pieces = _pieces(text, 1000)
    assert len(pieces) > 2 and all(piece.startswith("Step") for _, piece in pieces)


def test_pieces_without_prose_are_not_sent() -> None:
    text = "Start." + " " * 20_000 + "\n\n" + "😀" * 5_000 + "\n\nEnd."
    pieces = _pieces(text, 1000)
    assert [piece.strip() for _, piece in pieces] == ["Start.", "End."]
    assert all(text[start : start + len(piece)] == piece for start, piece in pieces)


def test_markup_is_never_cut_and_offsets_point_into_the_source() -> None:
    source = "\n\n".join(f"Paragraph **{n}** with [a link](https://example.org/{n}) and `code {n}`." for n in range(80))
    document = build_document(source, None, "markdown")
    pieces = plan(document.original, document.annotation, document.text, 1000)
    assert len(pieces) > 2
    position = 0
    for piece in pieces:
        assert piece.start >= position and source[piece.start : piece.start + len(piece.text)] == piece.text
        position = piece.start + len(piece.text)
        whole = {part.text for part in document.annotation if part.markup}
        assert all(part.text in whole for part in piece.parts if part.markup)  # markup parts arrive whole


@pytest.mark.parametrize(
    ("between", "starts"),
    [
        ("\n\n", True), ("\r\n\r\n", True), ("\n \t\n", True), ("\n\n\n\n", True),
        ("\n\n\t", True),  # the tab ends LanguageTool's sentence before: the paragraph starts after it
        # Blank lines to service.text, but no paragraph for LanguageTool, not even a sentence's end.
        ("\n\u00a0\n", False), ("\r\r", False), ("\n\u2028\n", False), ("\n\u2029\n", False),
    ],
)
def test_paragraphs_are_where_languagetool_starts_them(between: str, starts: bool) -> None:
    text = "One paragraph." + between + " Another one."
    assert paragraph_starts(text) == ([len("One paragraph." + between)] if starts else [])
    units = plan(text, (), text, 10_000, paragraphs=True)
    assert [unit.start for unit in units] == [0, *paragraph_starts(text)]


def test_no_cut_leaves_the_white_space_that_opens_a_text_alone() -> None:
    """A piece of white space alone is never sent, so a cut before the first prose took the
    spaces that open the text away from LanguageTool (its WHITESPACE_RULE flags them)."""
    for opening in ("  \r\n", "  \n\n", "\n\n  "):
        text = opening + " ".join(["She ate an apple yesterday.", "The council met on Monday."] * 25)
        first = _pieces(text, 1000)[0]
        assert first[0] == 0 and first[1].startswith(opening)
