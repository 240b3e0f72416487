"""Offsets (code points for clients, UTF-16 units for LanguageTool, converted in one place) and
segments (lines, paragraphs, sentences, headline lines: one definition each)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.score_request import build_document
from service.text import memo, segments
from service.text.english import reads_as_english
from service.text.offsets import LineIndex, Utf16Index, context, languagetool_context, utf16_length
from service.text.segments import (
    Span,
    breaks_off,
    ends_as_prose,
    first_line,
    headline_lines,
    is_salutation,
    lead,
    lines,
    looks_like_headline,
    paragraphs,
    sentences,
    word_count,
)

SEED = (Path(__file__).parent / "fixtures" / "seed-article.txt").read_text(encoding="utf-8")
CLEAN_ARTICLES = Path(__file__).parent / "fixtures" / "clean"


def utf16_offset(text: str, codepoint_offset: int) -> int:
    return len(text[:codepoint_offset].encode("utf-16-le")) // 2


EMOJI_TEXTS = [
    "plain ascii text",
    "😀 one emoji first",
    "😀😀👍🏽 several, one with a skin-tone modifier, then text",
    "mixed é ü 中文 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters 🚀 end",
    "🚀",
]


@pytest.mark.parametrize("text", EMOJI_TEXTS)
def test_every_utf16_offset_maps_back_to_its_code_point(text: str) -> None:
    index = Utf16Index(text)
    for cp in range(len(text) + 1):
        assert index.to_codepoint(utf16_offset(text, cp)) == cp


@pytest.mark.parametrize("text", EMOJI_TEXTS)
def test_every_code_point_span_goes_to_utf16_and_back(text: str) -> None:
    """/v2 answers in UTF-16 units: a span that starts at an emoji, ends at one or is empty keeps
    its place and its length both ways."""
    index = Utf16Index(text)
    for start in range(len(text) + 1):
        assert index.to_utf16(start) == utf16_offset(text, start)
        for end in range(start, len(text) + 1):
            span = index.utf16_span(start, end - start)
            assert span == (utf16_offset(text, start), utf16_offset(text, end) - utf16_offset(text, start))
            assert index.span(*span) == (start, end - start)


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


@pytest.mark.parametrize("br", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_context_starts_after_every_line_break_style(br: str) -> None:
    """Lines end at \\n, \\r\\n or a lone \\r (old Mac): the context never reaches back into the line before."""
    text = "First line" + br + "Second bad"
    assert context(text, text.index("bad"), 3) == {"text": "Second bad", "offset": 7, "length": 3}


_LINE_TEXT = st.text(alphabet="ab 😀.", max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_LINE_TEXT, min_size=1, max_size=5),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.data(),
    st.integers(min_value=0, max_value=14),
)
def test_context_is_the_radius_each_side_within_the_span_line(
    lines_: list[str], br: str, data: st.DataObject, radius: int
) -> None:
    """A /v1 issue's context: up to ``radius`` code points each side of the span, never beyond the
    span's own line (whatever its line breaks), and where the span stands in it."""
    text = br.join(lines_)
    line = data.draw(st.sampled_from(lines(text)))
    offset = data.draw(st.integers(line.start, line.end))
    length = data.draw(st.integers(0, line.end - offset))
    ctx = context(text, offset, length, radius)
    start, end = max(line.start, offset - radius), min(line.end, offset + length + radius)
    assert ctx == {"text": text[start:end], "offset": offset - start, "length": length}


def test_context_keeps_a_span_over_several_lines_whole() -> None:
    """A finding may span lines (a paragraph, a list of headlines): its context holds all of them."""
    text = "Intro.\nRead Also:\nFirst headline\nSecond headline\nOutro."
    offset = text.index("Read")
    length = len("Read Also:\nFirst headline\nSecond headline")
    assert context(text, offset, length) == {"text": text[offset : offset + length], "offset": 0, "length": length}


def test_languagetool_context_counts_its_offset_in_utf16_units() -> None:
    """LanguageTool clients slice the context in UTF-16 units: an emoji before the span is two."""
    text = "😀 Putin left Jinping till the car."
    offset = text.index("Jinping")
    ctx = languagetool_context(text, offset, len("Jinping"))
    assert ctx == {"text": text, "offset": offset + 1, "length": 7}
    units = ctx["text"].encode("utf-16-le")
    span = units[2 * ctx["offset"] : 2 * (ctx["offset"] + ctx["length"])].decode("utf-16-le")
    assert span == "Jinping"


def test_word_count() -> None:
    assert word_count("It's a well-known fact, isn’t it?") == 7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prices rose 3.5% to £1,250,000.", ["Prices", "rose", "3.5", "to", "1,250,000"]),
        ("Doors open at 10.30 a.m. or 18:45.", ["Doors", "open", "at", "10.30", "a.m.", "or", "18:45"]),
        ("The U.S. and the U.K., e.g. both.", ["The", "U.S.", "and", "the", "U.K.", "e.g.", "both"]),
        ("See https://example.com/a-b.html?x=1&y=2.", ["See", "https://example.com/a-b.html?x=1&y=2"]),
        ("Write to desk.news@example.co.uk today", ["Write", "to", "desk.news@example.co.uk", "today"]),
        ("www.example.org, (http://x.org/path).", ["www.example.org", "http://x.org/path"]),
        # A missing space after a full stop is not an abbreviation, and a dot ends "3.".
        ("Plan B.The vote was 3. Then 4", ["Plan", "B", "The", "vote", "was", "3", "Then", "4"]),
        # Soft hyphens (U+00AD, HTML's &shy;) mark where a word may break, and break none.
        ("The admin\u00adis\u00adtra\u00adtion ruled", ["The", "admin\u00adis\u00adtra\u00adtion", "ruled"]),
    ],
)
def test_a_number_an_abbreviation_or_an_address_is_one_word(text: str, expected: list[str]) -> None:
    """A reader, Yoast and textstat count "3.5", "1,250,000", "U.S." and a URL as one word each:
    split at every dot and comma they made a sentence of figures twice as long as it reads."""
    assert [w.of(text) for w in segments.words(text)] == expected
    assert word_count(text) == len(expected)


def test_first_line_skips_blank_lines_and_is_stripped() -> None:
    text = "\n  \r\n\t\n  Headline here  \nBody."
    span = first_line(text)
    assert span is not None and span.of(text) == "Headline here" and span.start == text.index("Headline")
    assert first_line("") is None and first_line(" \n\n\t") is None


@pytest.mark.parametrize(
    ("line", "stops"),
    [
        ("He go home.", True),
        ("We chose Plan B.", True),  # no name follows: not an initial
        ('He said it was "over."', True),
        ("It rained all day.)  ", True),
        ("Drop in Net Income and a Warning From U.P.S.", False),  # an acronym's dot
        ("Peter Chernin, Its President, Leaving News Corp.", False),
        ("You won't believe what happened next...", False),
        ("You won't believe what happened next…", False),
        ("Why did the council vote no?", False),
        ("Council backs the bridge!", False),
        ("Council backs the bridge", False),
        ("Inflation rose to 3.5", False),
        ("Dear Anna,", True),
        ("Read Also:", True),
        ("The vote was close;", True),
        ("Trump Calls the Drug Industry &quot;Disastrous&quot;", False),  # an escaped quote
        ("And then the lights went out . . .", False),
        # Speech after a sentence of narration: a paragraph of a feature or a story.
        ('She shrugged. "What else can I do?"', True),
        ("Lute rolled over to look at him. \u201cIt\u2019s cool, right?\u201d", True),
        ("Why is this man smiling? \u201cI won the lottery!\u201d", False),
        ("Mayor Quits. \u201cBack Soon\u201d Sign Stays", False),
        ("Trump says \u201cwe will win\u201d", False),
        # An attribution after a full stop closes an epigraph; after a question, a site's name.
        ("Be yourself; everyone else is already taken. \u2014 Oscar Wilde", True),
        ("Most of my worries never happened.\u00a0- -Mark Twain", True),
        ("Who was the man with no memory? - BBC News", False),
        ("The U.S. - Canada Border Reopens", False),
    ],
)
def test_a_line_ends_as_prose_after_a_comma_colon_or_a_full_stop_that_closes_a_sentence(line: str, stops: bool) -> None:
    assert ends_as_prose(line) is stops


@pytest.mark.parametrize(
    ("line", "greets"),
    [
        ("Hi all", True),
        ("Good morning everyone!", True),
        ("Dear Sir or Madam", True),
        ("hello team", True),
        ("Dear Men, Stop Wearing Boxers With Board Shorts", False),  # a headline that greets
        ("Dear World, Sorry", False),
        ("Hey Apple: We Still Need To Talk About Your Chargers", False),
        ("Dear People Who Aren't Doing Sober January", False),
        ("Highlights of the week", False),
        ("Heyday of the railways", False),
        ("Greetings from Moscow", False),
    ],
)
def test_a_salutation_only_greets(line: str, greets: bool) -> None:
    assert is_salutation(line) is greets


def test_a_salutation_greets_in_a_few_words() -> None:
    names = ["Anna", "Ben", "Carla", "Dev", "Eve", "Femi", "Gus"][: segments.MAX_SALUTATION_WORDS - 1]
    assert is_salutation(" ".join(["Hi", *names]))
    assert not is_salutation(" ".join(["Hi", *names, "everyone"]))


@pytest.mark.parametrize(
    ("line", "breaks"),
    [
        ("These notes collect the house rules we apply before a story goes live. Run the", True),
        ("Cost grows with the length of the text, so size by characters checked a", True),
        ("The body reader answers before the app sees a request (400 for", True),
        ("Her mother wanted a  ", True),
        ("Every name in the chart's [values", True),
        ("Prices (in euros) rose again (400 for", True),  # the last bracket is open
        ("Prices [in euros] rose again [400 for", True),
        ("Plan (A) and Plan (B) Passed", False),  # every bracket closed
        ("Plan [A] and Plan [B] Passed", False),
        ("Fees rose (5", True),
        ("Tax cuts for the rich and", True),
        ("The 10 Places You Have to Go To", False),  # a preposition can end a headline
        ("What Are You Waiting For", False),
        ("Watch What He Did for Her", False),  # "her" is a pronoun too
        ("Council backs the bridge, and the budget (again)", False),
        ("Why we all still say sorry :(", False),  # nothing opened after the bracket
        ("Vitamin A", False),
        ("Read the Fine Print on And/Or", False),
        ("How a Bill Becomes a Law in Your State", False),
        ("The Whole Story: Five Nights That Changed the", True),
        ("This project is licensed under either of", True),  # a list of licences follows
        ("Pick one of", True),
        ("The Bands You've Never Heard Of", False),
        ("What the Snow in Home Alone Was Made of", False),
    ],
)
def test_a_line_breaks_off_on_a_word_that_needs_another_or_in_an_open_bracket(line: str, breaks: bool) -> None:
    assert breaks_off(line) is breaks


def test_a_line_that_breaks_off_is_no_headline() -> None:
    """Hard-wrapped prose: its first line is no headline, nor is a lone short line that breaks off."""
    assert lead("Send it an article and its headline if it has one. It sends back the\nscore.") is None
    assert lead("Council backs the new bridge (and\nits budget)\n\nThe council voted.") is None
    assert not looks_like_headline("Every response carries an ETag and a")
    assert looks_like_headline("Every Response Carries an ETag")
    text = "Intro paragraph that runs as prose does, with a full stop.\n\nTen Things You Need and\n\nMore prose."
    assert headline_lines(text) == ()


def test_the_lead_is_the_first_line_or_sentence_unless_it_ends_as_prose() -> None:
    """A text's lead stands for its headline: a first line that ends as a body sentence does is
    prose (an email's first sentence, a README's first line), so the text has no lead, and so is
    one whose sentence goes on into the next line, of its paragraph or after a blank line
    (hard-wrapped prose, or prose an extractor cut into one paragraph a line). What follows the
    line never changes which line it is."""
    assert lead("He go home.\n\nThen he slept.") is None
    for wrapped in (
        "This content has moved. The daemon's documentation is now maintained\nin the moby repository.",
        "The council voted on Tuesday to close\nthe library on Sundays.",
        "Council votes to close the library -\nBut only on Sundays",
    ):
        assert lead(wrapped) is None, wrapped
        assert lead(wrapped.replace("\n", "\n\n", 1)) is None, wrapped
    assert lead("Council votes to close the library\n\nThe vote was close.") is not None
    assert lead("Dear Anna,\r\n\r\nThe minutes are attached.") is None
    assert lead("") is None
    assert lead("Good morning everyone\n\nThe minutes are attached.") is None
    for text in (
        "\nCouncil backs the new bridge\n\nThe council voted on Tuesday.",
        "Texas A&M Makes Quick Work of B.Y.U.\n\nIt was over early.",
        "Apple unveils the iPhone 16\niPhone buyers lined up before dawn.",
        "Ten Things You Will Not Believe\nby Jane Doe\n\nThe list begins here.",
        "Trump Calls the Drug Industry &quot;Disastrous&quot;\n\nHe spoke on Tuesday.",
    ):
        span = lead(text)
        assert span is not None and span == first_line(text), text
    long_line = "Why did the council vote to close the library? " + "The vote was close and the debate ran late. " * 3
    span = lead(long_line)
    assert span is not None and span.of(long_line) == "Why did the council vote to close the library?"
    assert lead("The council voted to close the library. " + "The debate ran late into the night. " * 3) is None


def test_lines_know_every_line_break_style() -> None:
    text = "one\ntwo\r\nthree\rfour\r\rsix"
    assert [span.of(text) for span in lines(text)] == ["one", "two", "three", "four", "", "six"]
    assert lines("") == ((0, 0),)
    starts = [line.start for line in lines(text)]
    assert [segments.line_start(text, i) for i in range(len(text) + 1)] == [
        max(start for start in starts if start <= i) for i in range(len(text) + 1)
    ]


@pytest.mark.parametrize("blank", ["\n\n", "\r\n\r\n", "\r\r", "\n \t\n", "\r\n  \r\n"])
def test_paragraphs_end_at_a_blank_line_of_any_break_style(blank: str) -> None:
    text = f"  First line\nstill first.{blank}Second{blank}{blank}  Third  "
    assert [span.of(text) for span in paragraphs(text)] == ["First line\nstill first.", "Second", "Third"]


def test_each_line_of_a_soft_wrapped_run_is_a_paragraph() -> None:
    """A word processor's plain text and a scraper's write a paragraph a line, no blank line
    between: a run with a line longer than any hard wrap (over ``SOFT_WRAP_WORDS`` words) is a
    paragraph a line, but where the sentence goes on into the next line (a scraped page keeps
    its hard-wrapped paragraphs' breaks). Hard-wrapped prose, short lines and one long word (a
    URL) stay one paragraph a run."""
    long = " ".join(["Word"] * (segments.SOFT_WRAP_WORDS + 1)) + "."
    short = " ".join(["Word"] * segments.SOFT_WRAP_WORDS) + "."
    wrapped = "Hard-wrapped prose runs to the edge\nof the line and goes on here."
    url = "See https://example.com/" + "a" * 200 + "\nfor more."
    text = f"A title line\n{long}\n{short}\n{wrapped}\n\n{wrapped}\n\n{short}\n{short}\n\n{url}"
    assert [span.of(text) for span in paragraphs(text)] == [
        "A title line", long, short, wrapped, wrapped, f"{short}\n{short}", url
    ]
    first_run = [line.of(text) for line in segments.line_runs(text)[0]]
    assert first_run == ["A title line", long, short, *wrapped.split("\n")]
    # Short paragraphs, as news copy writes them: three lines in four end a sentence.
    news = "Council backs bus plan\nThe council met.\nIt voted for the plan.\nRiders cheered.\nBuses run soon."
    assert [span.of(news) for span in paragraphs(news)] == news.split("\n")
    two_in_three = news[: news.rindex("\n")]
    assert [span.of(two_in_three) for span in paragraphs(two_in_three)] == [two_in_three]
    hard = "The council met on\nTuesday. It voted for\nthe plan. Riders cheered\nat the vote."
    assert [span.of(hard) for span in paragraphs(hard)] == [hard]
    # A paragraph that opens with a brand is a paragraph: "iPhone" is not a line going on in lower case.
    brands = f"{long}\niPhone {short}\niPad {short}"
    assert [span.of(brands) for span in paragraphs(brands)] == brands.split("\n")


def test_headline_lines_are_paragraphs_of_headlines_after_an_optional_label() -> None:
    text = (
        "Body text that runs on and on, as prose does, for many words in a row here.\n\n"
        "Read Also:\n"
        "Xi meets Putin in Moscow for talks\n"
        "  Council approves the new transit budget  \n\n"
        "Short wrapped line\nthat continues in lower case.\n"
    )
    assert [span.of(text) for span in headline_lines(text)] == [
        "Xi meets Putin in Moscow for talks",
        "Council approves the new transit budget",
    ]


@pytest.mark.parametrize(
    ("line", "headline"),
    [
        ("You won't believe what happened next...", True),  # a teaser, typed with three dots
        ("You won't believe what happened next…", True),  # or with the ellipsis character
        ("And then the lights went out . . .", True),
        ("Peter Chernin, Its President, Leaving News Corp.", True),  # an abbreviation's dot
        ("The lights went out at nine.", False),
        ("Read the full list here:", False),
        ("Last of all, the budget;", False),
    ],
)
def test_a_body_line_ends_as_a_headline_as_the_lead_does(line: str, headline: bool) -> None:
    """One definition of a line that ends as prose, for the lead and for the body's headline lines."""
    assert looks_like_headline(line) is headline
    assert (lead(line) is not None) is headline


def test_a_line_whose_sentence_goes_on_in_the_next_paragraph_is_no_headline_line() -> None:
    """An extractor that makes each line of a page a paragraph cuts prose at every line end: a
    capitalised piece of a sentence then stands alone, but its sentence goes on after the blank
    line (a next paragraph in lower case, or the line's own comma or dash)."""
    text = (
        "All of these works, of course, had earlier left their marks on the kind of comic\n\n"
        "strips that Mr. Lucas here remembers with affection.\n\n"
        "Council Backs the Bridge\nMayor Quits After the Vote\n\n"
        "by Jane Doe\n\n"
        "Lower Taxes for the Few -\n\n"
        "Rain Lashes the Coast Again\n\n"
        "iPhone buyers lined up before dawn.\n\n"
        "What Do We Collect From Visitors?\n\n"
        "a. Personal information. We collect none.\n\n"
        "Information We Share\n\n"
        "(b) none at all, ever."
    )
    assert [span.of(text) for span in headline_lines(text)] == [
        "Council Backs the Bridge",
        "Mayor Quits After the Vote",
        "Rain Lashes the Coast Again",
        "What Do We Collect From Visitors?",
        "Information We Share",
    ]
    for line in ("Council Backs the Bridge", "Mayor Quits After the Vote"):
        following = f"{line}\n\nwhich the council voted for on Tuesday."
        assert line not in [span.of(following) for span in headline_lines(following)]


def test_a_line_of_attribution_after_attribution_is_read_in_one_step() -> None:
    """Only the last attribution counts; what stands before it is not read again for one (a
    line of 20,000 of them recursed as deep and took quadratic time)."""
    line = ("Aa. - " + "B" * 50 + " ") * 20_000
    assert ends_as_prose(line) and lead(line) is None


def test_a_paragraph_of_narration_and_speech_is_no_headline_line() -> None:
    """A feature's or a story's short paragraphs: narration, then a question in quotation marks,
    stands alone and ends as no prose sentence does, yet is no headline (a web novel's page in
    go-readability's tests had three such lines judged by the model)."""
    text = (
        "The council met on Tuesday, as it does every week.\n\n"
        "She shrugged. \u201cWhat else can I do?\u201d\n\n"
        "Mayor Quits After the Vote\n"
    )
    assert [span.of(text) for span in headline_lines(text)] == ["Mayor Quits After the Vote"]
    assert lead(text.split("\n\n", 1)[1]) is None


def test_headline_lines_of_a_paragraph_without_a_label_and_of_a_label_with_one_line() -> None:
    text = (
        "Body text that runs on, as prose does.\n\n"
        "Council Backs the Bridge\nMayor Quits After Vote\n\n"
        "Read Also:\nXi Meets Putin in Moscow\n"
    )
    assert [span.of(text) for span in headline_lines(text)] == [
        "Council Backs the Bridge",
        "Mayor Quits After Vote",
        "Xi Meets Putin in Moscow",
    ]


def test_a_first_line_of_the_most_headline_words_is_the_lead_and_a_longer_one_gives_its_first_sentence() -> None:
    words = " ".join(["Council"] * (segments.MAX_HEADLINE_WORDS - 3))
    line = f"Why? {words} Backs Bridge"
    assert word_count(line) == segments.MAX_HEADLINE_WORDS
    span = lead(line + "\n\nThe council voted.")
    assert span is not None and span.of(line) == line
    longer = f"Why? {words} Backs the Bridge"
    span = lead(longer + "\n\nThe council voted.")
    assert span is not None and span.of(longer) == "Why?"


def test_segments_cover_the_seed_article() -> None:
    assert len(paragraphs(SEED)) == 25
    assert all(span.of(SEED) == span.of(SEED).strip() for span in paragraphs(SEED))
    assert "Read Also:" not in [span.of(SEED) for span in headline_lines(SEED)]


# ---------------------------------------------------------------------------------------------
# Sentence segmentation
# ---------------------------------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    return [s.of(text) for s in sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Dr. Jones in the U.S. capital on Jan. 5. The talks lasted 3.5 hours.",
            ["Mr. Smith met Dr. Jones in the U.S. capital on Jan. 5.", "The talks lasted 3.5 hours."],
        ),
        (
            "He moved to the U.S. The next day he started.",
            ["He moved to the U.S.", "The next day he started."],
        ),
        (
            "John F. Kennedy spoke at 5 p.m. on Friday. Aides cheered.",
            ["John F. Kennedy spoke at 5 p.m. on Friday.", "Aides cheered."],
        ),
        (  # a news report's attribution after a time (a police blotter, two sentences run into one)
            "The crash happened at 10:21 a.m. According to the report, a car was southbound.",
            ["The crash happened at 10:21 a.m.", "According to the report, a car was southbound."],
        ),
        (  # a capital and a dot before a word that starts sentences, or at the end, is no initial
            "The council chose Plan B. The vote was close. Aides backed Plan B.",
            ["The council chose Plan B.", "The vote was close.", "Aides backed Plan B."],
        ),
        ('"Why?" he asked. "Because!" She left.', ['"Why?" he asked.', '"Because!"', "She left."]),
        (
            "Visit example.com today. It costs $4.99, e.g. less.",
            ["Visit example.com today.", "It costs $4.99, e.g. less."],
        ),
        (
            "Headline without punctuation\nFirst sentence.\n\nLast paragraph without a stop",
            ["Headline without punctuation", "First sentence.", "Last paragraph without a stop"],
        ),
        (
            "Hard-wrapped prose that continues\nonto the next line, and\nends here.",
            ["Hard-wrapped prose that continues\nonto the next line, and\nends here."],
        ),
        ("A headline\r\nIts first line.\r\n\r\nNext one.", ["A headline", "Its first line.", "Next one."]),
        (  # a line ending in a comma goes on, even when the next line starts with a capital
            "He met the mayor,\nJohn Smith, on Tuesday.",
            ["He met the mayor,\nJohn Smith, on Tuesday."],
        ),
        (  # "no." stays open only before a number ("No. 10"): before a word it is the word "no"
            "The answer was no. The council left.",
            ["The answer was no.", "The council left."],
        ),
        (  # the number or letter of a list item at the start of a line is not a sentence
            "Steps:\n1. Open the door.\n2. Walk in\n  10. Sit down. 3. Stand up.\nB. The appeal",
            ["Steps:", "1. Open the door.", "2. Walk in", "10. Sit down.", "3.", "Stand up.", "B. The appeal"],
        ),
        (  # a spaced ellipsis is one mark, as "..." is
            "He paused . . . Then he left. She waited . . . and then she left too.",
            ["He paused . . .", "Then he left.", "She waited . . . and then she left too."],
        ),
        (  # "No." stays open before a number, "p." too (a page), "ca." before a year
            "He lives at No. 10 Downing Street. See p. 5, then it was built ca. 1900 by monks.",
            ["He lives at No. 10 Downing Street.", "See p. 5, then it was built ca. 1900 by monks."],
        ),
        (  # a title inside brackets or quotes is still a title
            'The aide ("Dr. Jones") spoke. Others left.',
            ['The aide ("Dr. Jones") spoke.', "Others left."],
        ),
        (  # an acronym's dot ends the sentence before "A", a word that starts sentences
            "He moved to the U.S. A week later he left.",
            ["He moved to the U.S.", "A week later he left."],
        ),
        ("Some cities, e.g. The Hague, agreed.", ["Some cities, e.g. The Hague, agreed."]),
        (  # police and military ranks, and a former one ("Ex-Sen."), are titles
            "Det. Sgt. Ann Lee said so. Pvt. Ryan was found. Brig. Gen. Kelly and Ex-Sen. Cole, "
            "Atty. Gen. Ruiz and the Rt. Hon. May spoke.",
            ["Det. Sgt. Ann Lee said so.", "Pvt. Ryan was found.",
             "Brig. Gen. Kelly and Ex-Sen. Cole, Atty. Gen. Ruiz and the Rt. Hon. May spoke."],
        ),  # fmt: skip
        (  # after a time's "p.m.", a word in capitals opens a sentence, unless it goes on with the time
            "The debate lasted until 10 p.m. Council members voted. It airs at 9 p.m. Sunday. Polls close "
            "at 8 p.m. ET in most states. It starts at 10 P.M. Monday.",
            ["The debate lasted until 10 p.m.", "Council members voted.", "It airs at 9 p.m. Sunday.",
             "Polls close at 8 p.m. ET in most states.", "It starts at 10 P.M. Monday."],
        ),  # fmt: skip
        (  # a word in lower case with capitals in it (a brand) opens a sentence
            "Apple sold fewer phones. iPhone sales fell 5%. That is news. eBay agrees.",
            ["Apple sold fewer phones.", "iPhone sales fell 5%.", "That is news.", "eBay agrees."],
        ),
        (  # German and Swiss quotation marks close a quotation as English ones do
            "Merkel told the crowd „Wir schaffen das.“ Then she left. Er sagte: »Ja.« Dann ging er. "
            "Sie rief ‚Halt!‘ Niemand hörte.",
            ["Merkel told the crowd „Wir schaffen das.“", "Then she left.", "Er sagte: »Ja.«", "Dann ging er.",
             "Sie rief ‚Halt!‘", "Niemand hörte."],
        ),  # fmt: skip
        ("He left . Then she came.", ["He left .", "Then she came."]),  # a full stop typed after a space
        (  # a line opening with a brand goes no sentence on; a byline's "by" opens one of its own
            "Apple beats estimates as demand grows\niPhone sales rose 6%.\nSales grew\nby Jane Smith\nIt rose.",
            ["Apple beats estimates as demand grows", "iPhone sales rose 6%.", "Sales grew", "by Jane Smith",
             "It rose."],
        ),  # fmt: skip
        (  # hard-wrapped prose: a line that breaks off, or ends with a title, goes on in the next
            "Markets rallied as the yield on the\n10-year note fell, and\niPhone sales rose. It was led by Sen.\n"
            "Elizabeth Warren.",
            ["Markets rallied as the yield on the\n10-year note fell, and\niPhone sales rose.",
             "It was led by Sen.\nElizabeth Warren."],
        ),  # fmt: skip
        (  # a unit or a noun's abbreviation ends a sentence before its next start, but not before a number
            "The figures came from the Labor Dept. That is down. The waves reached 12 ft. The beach closed. "
            "It took approx. 3 hours, as Fig. 2 shows.",
            ["The figures came from the Labor Dept.", "That is down.", "The waves reached 12 ft.",
             "The beach closed.", "It took approx. 3 hours, as Fig. 2 shows."],
        ),  # fmt: skip
        (  # a line that opens with a mark no sentence opens with goes on the sentence before it
            "Get it from PyPI\n. Then run it\n, or build it.\nIt works.",
            ["Get it from PyPI\n.", "Then run it\n, or build it.", "It works."],
        ),
        ("", []),
        ("  \n\n\t ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


# Pieces that decide sentence ends, and the breaks and blank lines between paragraphs.
_PIECES = st.sampled_from(
    "The mayor said no . ? ! … Mr. Dr. U.S. Inc. etc. e.g. Jan. No. 5 3.5 J. the he \"Why?\" (aside) "
    "‘quoted.’ end, dash — lower upper".split()
    + ["\n", "\n\n", "\r\n\r\n", "\n  \n", " \n\n\n ", "\t", ". \n", ".\n\nthe", "U.S.\n\nThe"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=60).map(" ".join) | st.text(alphabet=".!?…\n\r aA\"'", max_size=80))
def test_sentences_by_paragraph_equal_one_reading_of_the_whole_text(text: str) -> None:
    """Sentences are found paragraph by paragraph (remembered for edits): the same spans as one
    pass over the whole text, since a blank line always ends a sentence."""
    assert sentences(text) == segments._sentences(text)


def test_fixture_sentences_by_paragraph_equal_one_reading_of_the_whole_text() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parent / "fixtures").rglob("*.txt"))]
    assert len(texts) > 5
    for text in texts:
        assert sentences(text) == segments._sentences(text)


def test_the_edge_of_a_markup_block_ends_a_sentence() -> None:
    """A Markdown or HTML view blanks the markup between blocks to spaces: "</li><li>" or a
    table's "|" leave no line break, and a page of HTML may be one line. With the document's
    blocks the sentences stop at every block's edge, as at a blank line; without them the text
    reads on."""
    text = "  The vote   the plan was approved   the mayor spoke. Critics left.  "
    blocks = tuple(
        Span(text.index(part), text.index(part) + len(part))
        for part in ("The vote", "the plan was approved", "the mayor spoke. Critics left.")
    )
    assert [s.of(text) for s in sentences(text, blocks)] == [
        "The vote",
        "the plan was approved",
        "the mayor spoke.",
        "Critics left.",
    ]
    assert [s.of(text) for s in sentences(text)] == [
        "The vote   the plan was approved   the mayor spoke.",
        "Critics left.",
    ]
    # A blank line inside a block still ends a sentence.
    text = "A block\n\nwith two paragraphs"
    assert [s.of(text) for s in sentences(text, (Span(0, len(text)),))] == ["A block", "with two paragraphs"]


def test_a_line_break_inside_a_markup_block_ends_no_sentence() -> None:
    """A browser, and a Markdown renderer, show a block's lines as one run of text: a hard-wrapped
    README's "if `crate 1.0` requires" and "Rust 1.20.0, then ..." are one sentence, though the
    next line opens with a capital. In plain text, a paragraph a line as a scraper writes it, such
    a line break ends the sentence (a headline before its first paragraph)."""
    text = "If the crate requires\nRust 1.20, then it builds.\nOn Windows, paths differ."
    block = (Span(0, len(text)),)
    assert [s.of(text) for s in sentences(text, block)] == [
        "If the crate requires\nRust 1.20, then it builds.", "On Windows, paths differ."]
    assert [s.of(text) for s in sentences(text)] == [
        "If the crate requires", "Rust 1.20, then it builds.", "On Windows, paths differ."]
    # A plain text with a table is cut at its paragraphs and cells, and keeps its own rule.
    table = "| Name | Role |\n|---|---|\n| Park | Actress |\n\nProfile\nName: Park Ye Jin\n"
    assert [s.of(table) for s in build_document(table, None, "text").sentences][-2:] == ["Profile", "Name: Park Ye Jin"]


@pytest.mark.parametrize(
    ("text", "ends"),
    [("It ended.", True), ('It ended."', True), ("C'est fini.\u00bb", True), ("(See below.)", True),
     ("Wait . . .", True), ("Really?!", True), ("with", False), ("the list:", False), ('"Quoted"', False)],
)
def test_a_text_ends_with_a_terminator_past_its_closing_marks(text: str, ends: bool) -> None:
    assert segments.ends_with_terminator(text) is ends


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A quotation opened in a sentence goes on into the next; the writer's sentence after it is not quoted.
        ('He said: "We will win. We always win." She left.', [False, True, False]),
        ("\u201cI was living in a flat. I am shy.\u201d She said it. I agree.", [True, True, False, False]),
        ('"Yes," he said. He left.', [True, False]),
        # Single marks: an apostrophe ("players'", "It's", "the '90s") opens and closes nothing.
        ("'In a hierarchy, you obey. In a democracy, you vote.' The players' union agreed. It's the '90s. Fine.",
         [True, True, False, False, False]),
        ("\u2018We won.\u2019 Then we left. \u00abOui. Non.\u00bb Done.", [True, False, True, True, False]),
        # A paragraph starts with none open: news style opens each paragraph of a long quotation again.
        ('"More. Still more.\n\n"And more." Done.\n\nYes. It is.', [True, True, True, False, False, False]),
        # A mark after an opening bracket or over an entity's rest (a prose view's JOINER) opens it too.
        ('("We agree.") They left. "\u2060\u2060\u2060\u2060We won." Done.', [True, False, True, False]),
    ],
)
def test_a_sentence_is_quoted_speech_when_it_opens_a_quotation_or_one_is_open(text: str, expected: list[bool]) -> None:
    found = segments.sentences(text)
    assert segments.quoted(text, found, segments.paragraphs(text)) == expected, [s.of(text) for s in found]


def test_seed_sentences_are_exact_stripped_slices_and_headlines_stand_alone() -> None:
    spans = sentences(SEED)
    texts = [s.of(SEED) for s in spans]
    assert all(s == s.strip() and s for s in texts)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    assert "Jinping told his goal in Moscow" in texts
    assert "Read Also:" in texts
    assert len(paragraphs(SEED)) == 25


# ---------------------------------------------------------------------------------------------
# The memo (service/text/memo.py)
# ---------------------------------------------------------------------------------------------


def test_a_memo_keeps_short_strings_and_only_the_latest(memos_sized: Callable[[int], None]) -> None:
    memos_sized(2)
    calls: list[str] = []

    @memo.remembered(longest=5)
    def length(text: str) -> int:
        calls.append(text)
        return len(text)

    assert [length(t) for t in ("abc", "abc", "abcdefgh", "abcdefgh", "x", "y", "abc")] == [3, 3, 8, 8, 1, 1, 3]
    # "abc" once until two newer strings pushed it out; the long string every time.
    assert calls == ["abc", "abcdefgh", "abcdefgh", "x", "y", "abc"]


def test_keep_sizes_the_memos_made_before_and_after_it(memos_sized: Callable[[int], None]) -> None:
    @memo.remembered(longest=10)
    def before(text: str) -> str:
        return text

    memos_sized(3)

    @memo.remembered(longest=10, scale=4)
    def after(text: str) -> str:
        return text

    assert before.cache_info().maxsize == 3  # type: ignore[attr-defined]
    assert after.cache_info().maxsize == 12  # type: ignore[attr-defined]
    assert segments._paragraph_sentences.cache_info().maxsize == 3  # type: ignore[attr-defined]
    memos_sized(0)
    assert before.cache_info().maxsize == after.cache_info().maxsize == 0  # type: ignore[attr-defined]
    with pytest.raises(ValueError):
        memo.keep(-1)


def test_memo_keys_hold_every_argument(memos_sized: Callable[[int], None]) -> None:
    memos_sized(8)

    @memo.remembered(longest=10)
    def cut(text: str, size: int) -> str:
        return text[:size]

    assert (cut("abcdef", 2), cut("abcdef", 3), cut("abcdef", 2)) == ("ab", "abc", "ab")
    assert cut.cache_info().currsize == 2  # type: ignore[attr-defined]


def test_a_memo_keeps_a_long_string_by_its_digest_not_the_string(memos_sized: Callable[[int], None]) -> None:
    """A paragraph memo holds 16 bytes a key, not the paragraph; equal strings still meet."""
    memos_sized(64)
    calls: list[int] = []

    @memo.remembered(longest=20_000)
    def length(text: str) -> int:
        calls.append(len(text))
        return len(text)

    def text(n: int) -> str:  # made anew each time: two bytes a character, 18 KB
        return f"{n:02} " + "ѣ" * 9_000

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    assert [length(text(n)) for n in range(40)] == [9_003] * 40
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert held < 40 * 1_000  # the 40 strings were 720 KB
    assert length(text(3)) == 9_003 and len(calls) == 40  # an equal string: from the memo
    assert length(text(3)[:-1] + "x") == 9_003 and len(calls) == 41  # one character apart: computed


def test_quotations_run_from_the_opening_mark_to_the_one_that_closes_it() -> None:
    """The speaker's words, in a quoted sentence or a partial quotation; the attribution around
    them is the writer's. A single quotation inside a double one is part of it, an apostrophe
    opens none, and one left open ends with its paragraph."""
    text = (
        '"We ran," she said, somewhat tired. He called it "the \'worst\' day".\n\n'
        "The players' union said 'no' to it. \u201cWe will go on.\n\nThen they left."
    )
    found = [span.of(text) for span in segments.quotations(text, paragraphs(text))]
    assert found == ['"We ran,"', '"the \'worst\' day"', "'no'", "\u201cWe will go on."]
    # A mark that elides letters ("give ‘em", "‘til", "rock 'n' roll") or an inch mark ('a 13.3"
    # display', "6'8\"") opens none: the rest of the paragraph was quoted speech, and no rule read it.
    marks = "Give \u2018em all. Wait \u2018til noon. Rock 'n' roll. A 13.3\" display, 6'8\" tall. She said \"no.\""
    assert [span.of(marks) for span in segments.quotations(marks, paragraphs(marks))] == ['"no."']


@pytest.mark.parametrize(
    ("text", "english"),
    [(path.read_text(encoding="utf-8"), True) for path in sorted(CLEAN_ARTICLES.glob("article-*.txt"))]
    + [("He go home.", True), ("This are a test.", True)]
    + [(text, False) for text in (
        "Die Regierung hat am Mittwoch ein neues Gesetz zum Klimaschutz beschlossen, das ab Januar gilt.",
        "Le gouvernement a présenté mercredi un projet de loi sur le climat qui entrera en vigueur en janvier.",
        "El gobierno aprobó el miércoles una nueva ley sobre el clima que entrará en vigor en enero.",
        "Il governo ha approvato mercoledì una nuova legge sul clima che entrerà in vigore a gennaio.",
        "De regering heeft woensdag een nieuwe klimaatwet aangenomen die in januari ingaat.",
        "O governo aprovou na quarta-feira uma nova lei do clima que entra em vigor em janeiro.",
        "政府は水曜日、新しい気候法を可決した。", "",
    )],
)
def test_english_is_told_by_its_commonest_words(text: str, english: bool) -> None:
    assert reads_as_english(text) is english

