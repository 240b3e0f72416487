"""Offsets: code points for clients, UTF-16 units for LanguageTool, converted in one place."""

from __future__ import annotations

import pytest

from service.text import LineIndex, Utf16Index, context, first_line, utf16_length, word_count


def utf16_offset(text: str, codepoint_offset: int) -> int:
    return len(text[:codepoint_offset].encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    "text",
    [
        "plain ascii text",
        "😀 one emoji first",
        "😀😀👍🏽 several, one with a skin-tone modifier, then text",
        "mixed é ü 中文 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters 🚀 end",
        "🚀",
    ],
)
def test_every_utf16_offset_maps_back_to_its_code_point(text: str) -> None:
    index = Utf16Index(text)
    for cp in range(len(text) + 1):
        assert index.to_codepoint(utf16_offset(text, cp)) == cp


def test_spans_after_and_around_emoji() -> None:
    text = "😀😀 He go home 👍 now"
    index = Utf16Index(text)
    start = text.index("go")
    assert index.span(utf16_offset(text, start), 2) == (start, 2)
    emoji = text.index("👍")
    assert index.span(utf16_offset(text, emoji), 2) == (emoji, 1)  # one emoji is two UTF-16 units


def test_an_offset_inside_a_surrogate_pair_maps_to_its_character() -> None:
    text = "a😀b"
    assert Utf16Index(text).to_codepoint(2) == 1


def test_utf16_length() -> None:
    assert utf16_length("a😀b") == 4 == len("a😀b".encode("utf-16-le")) // 2


def test_line_and_column_for_every_line_break_style() -> None:
    text = "first\nsecond\r\nthird\rfourth"
    index = LineIndex(text)
    assert index.line_column(0) == (1, 1)
    assert index.line_column(text.index("second")) == (2, 1)
    assert index.line_column(text.index("third") + 2) == (3, 3)
    assert index.line_column(text.index("fourth")) == (4, 1)
    assert index.line_count == 4


def test_columns_count_code_points() -> None:
    text = "😀😀 x"
    assert LineIndex(text).line_column(text.index("x")) == (1, 4)


def test_context_stays_on_the_span_line() -> None:
    text = "Line one is here.\nPutin left Jinping till the car after lunch.\nLine three."
    offset = text.index("left")
    ctx = context(text, offset, 25)
    assert "\n" not in ctx["text"]
    assert ctx["text"][ctx["offset"] : ctx["offset"] + ctx["length"]] == "left Jinping till the car"


def test_word_count() -> None:
    assert word_count("It's a well-known fact, isn’t it?") == 7


def test_first_line_skips_blank_lines_and_keeps_offsets() -> None:
    text = "\n  \r\n\t\n  Headline here  \nBody."
    offset, line = first_line(text)
    assert text[offset : offset + len(line)] == line == "  Headline here  "
    assert first_line("") is None and first_line(" \n\n\t") is None

