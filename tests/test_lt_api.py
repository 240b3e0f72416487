"""The LanguageTool-compatible API (/v2) against a real LanguageTool server and real clients.

Parity is the contract: for the same text and options every match raw LanguageTool returns is in
copydesk's answer, as LanguageTool wrote it; copydesk only adds its own matches. Every response
through ``client`` is validated against openapi.yaml.
"""

from __future__ import annotations

import contextlib
import json
import operator
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import language_tool_python
import pytest
import requests
from flask import jsonify
from support import FIXTURES, assert_parity, free_port, is_copydesk
from urllib3 import encode_multipart_formdata
from werkzeug.datastructures import Headers
from werkzeug.serving import make_server

from service import create_app, lt_api
from service.checks.grammar import GrammarCheck
from service.findings import Annotated, CheckOptions, Document, Finding, SectionResult
from service.languagetool import client as languagetool_client
from service.languagetool.pieces import MAX_SENTENCE_CHARS
from service.lt_matches import languagetool_answer
from service.lt_request import (
    CheckRequest,
    LanguageToolRequestError,
    RuleSelection,
    annotated_document,
    category_id,
    configinfo_language,
    nameable,
    parse_check_request,
)
from service.markup import prose_view
from service.scoring import CheckRun
from service.settings import PROJECT_ROOT, Settings
from service.text import segments
from service.text.offsets import Utf16Index, languagetool_context

# pylanguagetool 0.11.0 (the newest) imports pkg_resources for its --version flag only, and setuptools
# 82+ no longer ships that module: the client runs with an empty module under that name.
PKG_RESOURCES = "import sys, types; sys.modules.setdefault('pkg_resources', types.ModuleType('pkg_resources'))"
exec(PKG_RESOURCES)
from pylanguagetool import api as pylanguagetool  # noqa: E402

CLIENTS = Path(__file__).parent / "clients"
JAVA_CLIENT_JARS = ".cache/languagetool-java-client"  # the Makefile's JAVA_CLIENT
TEXTLINT = CLIENTS / "node_modules" / ".bin" / "textlint"
CLEAN_TEXTS = sorted([*(FIXTURES / "clean").glob("article-*.txt"), *(FIXTURES / "docs").glob("*/*.txt")])
MARKUP_DOCS = sorted(p for p in (FIXTURES / "docs").glob("*/*") if p.suffix in (".md", ".html"))
SPELLING_PREFIXES = ("MORFOLOGIK_", "HUNSPELL_")
TILL = "left Jinping till the car"
KNOW = "know the meaning"


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def raw_check(languagetool_url: str, params: dict[str, str]) -> dict:
    """The answer of LanguageTool itself, asked directly."""
    response = requests.post(urllib.parse.urljoin(languagetool_url, "/v2/check"), data=params, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def copydesk_check(client, params: dict[str, str]) -> dict:
    response = client.post("/v2/check", data=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def span16(text: str, match: dict) -> str:
    """The text a match points at, counting its offset and length in UTF-16 units."""
    units = text.encode("utf-16-le")
    return units[2 * match["offset"] : 2 * (match["offset"] + match["length"])].decode("utf-16-le")


def context_span(match: dict) -> str:
    """The text a match's context marks (its offset and length count UTF-16 units too)."""
    return span16(match["context"]["text"], match["context"])


def annotation_data(path: Path) -> str:
    """A Markdown or HTML fixture as LanguageTool's annotated text (the ``data`` parameter)."""
    view = prose_view(path.read_text(encoding="utf-8"), "markdown" if path.suffix == ".md" else "html")
    return json.dumps(
        {
            "annotation": [
                {"markup": p.text, "interpretAs": p.interpret_as} if p.markup else {"text": p.text}
                for p in view.annotation
            ]
        }
    )


@pytest.fixture(scope="module")
def live_url(app) -> Iterator[str]:
    """copydesk served over real HTTP (werkzeug, threaded) for the real clients."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def seed_answer(client_module, seed_text: str) -> dict:
    return copydesk_check(client_module, {"text": seed_text, "language": "en-US"})


@pytest.fixture(scope="module")
def client_module(app):
    return app.test_client()


# --------------------------------------------------------------------------------------------
# Parity with raw LanguageTool
# --------------------------------------------------------------------------------------------


def test_seed_article_parity_and_copydesk_findings(
    languagetool_url: str, seed_answer: dict, seed_text: str
) -> None:
    raw = raw_check(languagetool_url, {"text": seed_text, "language": "en-US"})
    assert raw["matches"], "LanguageTool found nothing in the seed article"
    assert_parity(raw, seed_answer)
    spans = {seed_text[m["offset"] : m["offset"] + m["length"]] for m in seed_answer["matches"] if is_copydesk(m)}
    assert {TILL, KNOW} <= spans
    ids = {m["rule"]["id"] for m in seed_answer["matches"]}
    assert {"translationese.till-place", "clickbait.know-the-meaning", "clickbait.model",
            "readability.hard-sentence"} <= ids
    # The headline model judges the first line: there is no title on /v2.
    model = [m for m in seed_answer["matches"] if m["rule"]["id"] == "clickbait.model"]
    assert model[0]["offset"] == 0 and span16(seed_text, model[0]) == seed_text.splitlines()[0]


def test_a_first_sentence_is_not_judged_as_a_headline(client) -> None:
    """A browser extension sends whatever a writer types: a first line ending with a full stop
    is a sentence, and the headline model leaves it alone; without the stop it is a headline."""
    body = "\n\nThe council met on Tuesday and approved the budget."

    def model_matches(first_line: str) -> list[dict]:
        answer = copydesk_check(client, {"text": first_line + body, "language": "en-US"})
        return [m for m in answer["matches"] if m["rule"]["id"] == "clickbait.model"]

    assert model_matches("You won't believe what the council did next")
    assert model_matches("You won't believe what the council did next.") == []
    assert model_matches("Good morning everyone") == []  # 0.97 to the model, were it a headline
    # Hard-wrapped prose: the line breaks off on "the" (0.98 to the model).
    assert model_matches("These notes collect the house rules we apply before a story goes live. Run the") == []


@pytest.mark.parametrize("path", CLEAN_TEXTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_parity_on_clean_texts(client, languagetool_url: str, path: Path) -> None:
    params = {"text": path.read_text(encoding="utf-8"), "language": "en-US"}
    assert_parity(raw_check(languagetool_url, params), copydesk_check(client, params))


@pytest.mark.parametrize("path", MARKUP_DOCS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_parity_on_markup_sent_as_annotated_text(client, languagetool_url: str, path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    params = {"data": annotation_data(path), "language": "en-US"}
    ours = copydesk_check(client, params)
    assert_parity(raw_check(languagetool_url, params), ours)
    for match in ours["matches"]:  # offsets point into the whole markup, as the context shows
        assert span16(source, match).replace("\n", " ") == context_span(match), match


def test_a_text_longer_than_a_piece_goes_in_pieces_and_gets_languagetools_answer_to_it_whole(
    app, client, languagetool_url: str, seed_text: str
) -> None:
    """LanguageTool builds its answer in its heap, each finding with every word its speller finds
    near an unknown one (hundreds for a short one): 115,000 characters of "$$a." lines sent whole
    ran a 2 GB server out of it. A text longer than COPYDESK_LANGUAGETOOL_PIECE_CHARS goes in
    pieces cut at paragraph starts, as /v1 cuts it; for prose, the answer is the one LanguageTool
    gives the whole text, sentence ranges included."""
    articles = [path.read_text(encoding="utf-8") for path in CLEAN_TEXTS if path.parent.name == "clean"]
    text = "\n\n".join([seed_text, *articles, seed_text.replace("Putin", "Xi")])
    assert len(text) > 1.5 * app.extensions["copydesk"].scorer.checks["grammar"].piece_chars
    params = {"text": text, "language": "en-US"}
    assert_parity(raw_check(languagetool_url, params), copydesk_check(client, params))


def test_a_long_text_in_pieces_is_checked_in_the_language_found_in_its_start(
    app, client, languagetool_url: str
) -> None:
    """LanguageTool reads a text's language from its first 1,000 characters and checks all of it
    in that one. Each piece of a long text, found on its own, had the rules of its own language:
    the English half of a note that opens in German got English matches, where LanguageTool
    gives German ones (its preferredVariants, which LanguageTool takes only with
    language=auto, is not sent again)."""
    # The English part short: checked by German rules, each of its words gets the German
    # speller's suggestions, and 70 such paragraphs took LanguageTool near its 15 s limit. The
    # pieces are cut inside it, where no text-level rule of LanguageTool's reads across the cut
    # (German's on sentences that start alike would, between German paragraphs).
    german = [f"Der Stadtrat hat am Dienstag den Haushalt für {2000 + n} beschlossen, alle waren froh."
              for n in range(110)]
    english = [f"The council meet on Tuesday {n} and he go to the library every day with there children."
               for n in range(20)]
    text = "\n\n".join(german + english)
    piece_chars = app.extensions["copydesk"].scorer.checks["grammar"].piece_chars
    assert len("\n\n".join(german)) < piece_chars < len(text)
    params = {"text": text, "language": "auto", "preferredVariants": "de-AT,en-GB"}
    raw, ours = raw_check(languagetool_url, params), copydesk_check(client, params)
    assert raw["language"]["code"] == ours["language"]["code"] == "de-AT"
    spans = [(m["offset"], m["length"], m["rule"]["id"]) for m in ours["matches"] if not is_copydesk(m)]
    assert spans == [(m["offset"], m["length"], m["rule"]["id"]) for m in raw["matches"]]
    assert any(offset > piece_chars for offset, _, _ in spans)


def test_a_long_text_in_a_language_languagetool_cannot_check_is_answered_as_languagetool_answers(
    app, client, languagetool_url: str
) -> None:
    """In a language LanguageTool finds but has no rules for (Hebrew), it names the language
    "zz" and checks nothing. The pieces after the first went with language=zz, which LanguageTool
    refuses: a long article got a 400 naming a code the client never sent."""
    sentence = "ראש העירייה הודיע היום על תוכנית חדשה לתחבורה ציבורית בעיר. "
    text = "\n\n".join(sentence * 4 for _ in range(60))
    assert len(text) > app.extensions["copydesk"].scorer.checks["grammar"].piece_chars
    params = {"text": text, "language": "auto"}
    raw, ours = raw_check(languagetool_url, params), copydesk_check(client, params)
    assert raw["language"] == ours["language"] and raw["language"]["code"] == "zz"
    assert ours["matches"] == raw["matches"] == []


@pytest.mark.parametrize("as_data", [False, True], ids=["text", "data"])
def test_a_stretch_languagetool_reads_as_one_over_long_sentence_goes_in_pieces(
    client, languagetool_url: str, as_data: bool
) -> None:
    """LanguageTool ends no sentence at a line break and writes a sentence into each of its
    findings there: three checks of 10,000 characters of "$$a" lines at once (25 MB of sentences
    each) ran a 1 GB server out of heap. Such a stretch goes in pieces of at most
    MAX_SENTENCE_CHARS; the answer reads as LanguageTool's to the whole text, its matches the
    same, its sentence ranges (UTF-16 units after an emoji; extendedSentenceRanges count the
    plain text, without the markup, the soft hyphens and U+FEFF) counted from the text's start."""
    head, tail = "\U0001f642 Ths is a sen\u00adtence\ufeff. ", "\n\nThe end is neer."
    lines = "".join(f"Teh item {n} costs {n} dollars\n" for n in range(80))
    if as_data:
        parts = [{"text": head}, {"markup": "<b data-x='1'>"}, {"text": lines + tail}]
        params = {"data": json.dumps({"annotation": parts}), "language": "en-US"}
    else:
        params = {"text": head + lines + tail, "language": "en-US"}
    raw, ours = raw_check(languagetool_url, params), copydesk_check(client, params)
    assert max(len(m["sentence"]) for m in raw["matches"]) > MAX_SENTENCE_CHARS  # the stretch is one sentence
    native = [m for m in ours["matches"] if not is_copydesk(m)]
    assert max(len(m["sentence"]) for m in native) <= MAX_SENTENCE_CHARS
    assert [(m["offset"], m["length"], m["rule"]["id"]) for m in native] == [
        (m["offset"], m["length"], m["rule"]["id"]) for m in raw["matches"]
    ]
    for key, span in (("sentenceRanges", tuple), ("extendedSentenceRanges", operator.itemgetter("from", "to"))):
        theirs, mine = [span(r) for r in raw[key]], [span(r) for r in ours[key]]
        assert len(mine) > len(theirs) and mine[0] == theirs[0] and mine[-1] == theirs[-1], key
        assert all(a[1] <= b[0] for a, b in zip(mine, mine[1:], strict=False)), key
    assert {key: ours[key] for key in ("software", "warnings", "language")} == {
        key: raw[key] for key in ("software", "warnings", "language")
    }


def test_annotated_text_in_pieces_has_the_sentence_ranges_of_one_check(app, client, languagetool_url: str) -> None:
    """A cut before a closing tag that reads as a paragraph break left the next piece opening
    with it, and LanguageTool answers such a piece with an empty extended range first: the
    joined answer had one sentence more than LanguageTool's per cut."""
    paragraph = [
        {"markup": "<p>"},
        {"text": "The council met on Monday. It voted on the plan. The mayor spoke after it. "},
        {"markup": "</p>", "interpretAs": "\n\n"},
    ]
    piece_chars = app.extensions["copydesk"].scorer.checks["grammar"].piece_chars
    annotation = paragraph * (piece_chars // 90 + 40)
    params = {"data": json.dumps({"annotation": annotation}), "language": "en-US"}
    raw, ours = raw_check(languagetool_url, params), copydesk_check(client, params)
    assert sum(len(part.get("text", part.get("markup"))) for part in annotation) > piece_chars
    for key in ("sentenceRanges", "extendedSentenceRanges"):
        assert ours[key] == raw[key], key


def test_an_answer_of_many_matches_is_written_in_chunks_as_jsonify_writes_it_whole(app, client) -> None:
    """An answer can be hundreds of MB (unknown words, each with hundreds of replacements):
    jsonify held it as one string, a copy, and their bytes. It goes out as chunks of at most
    MATCHES_PER_CHUNK matches, the bytes jsonify writes, its length sent; one of more matches is
    made as it is sent, never held whole."""
    def match(n: int) -> dict:
        return {"message": f"Spelling {n} \u00e9\U0001f642", "replacements": [{"value": "\"x\"/"}], "offset": n}

    for count in (0, 1, lt_api.MATCHES_PER_CHUNK, lt_api.MATCHES_PER_CHUNK + 1, 2 * lt_api.MATCHES_PER_CHUNK + 7):
        answer = {"software": {"name": "LanguageTool"}, "language": {"code": "en-US"},
                  "matches": [match(n) for n in range(count)], "sentenceRanges": [[0, 3]]}
        with app.test_request_context():
            response, whole = lt_api._answer(answer), jsonify(answer).get_data()
        assert isinstance(response.response, list) == (count <= lt_api.MATCHES_PER_CHUNK)
        # Werkzeug counts a list's bytes as it sends it; a generator's length is set beforehand.
        length = int(response.headers.get("Content-Length", response.calculate_content_length()))
        chunks = list(response.response)
        assert b"".join(chunks) == whole and length == len(whole)
        assert len(chunks) == 6 + -(-count // lt_api.MATCHES_PER_CHUNK)  # one per key, "]", the end, the batches
    text = "qqq\n" * (lt_api.MATCHES_PER_CHUNK + 50)
    response = client.post("/v2/check", data={"text": text, "language": "en-US"})
    assert response.status_code == 200 and int(response.headers["Content-Length"]) == len(response.data)
    assert len(response.json["matches"]) > lt_api.MATCHES_PER_CHUNK
    with app.test_request_context():
        assert response.data == jsonify(response.json).get_data()


@pytest.mark.parametrize(
    "options",
    [
        {"level": "picky"},
        {"language": "en-GB"},
        {"language": "auto", "preferredVariants": "en-GB"},
        {"disabledRules": "MORFOLOGIK_RULE_EN_US,translationese.till-place"},
        {"disabledCategories": "TYPOS,COPYDESK_STYLE"},
        {"enabledRules": "translationese.till-place,HAPPEN_TO", "enabledOnly": "true"},
        # LanguageTool reads enabledOnly=yes as true: only the named rules come back, copydesk's too.
        {"enabledRules": "translationese.till-place,HAPPEN_TO", "enabledOnly": "yes"},
        {"enabledCategories": "COPYDESK_CLICKBAIT", "enabledOnly": "true"},
        # The clarity measures are rules a client can name too (they once were not: nothing came back).
        {"enabledRules": "readability.passive-voice,readability.adverb", "enabledOnly": "true"},
    ],
    ids=lambda o: "&".join(f"{k}={v}" for k, v in o.items()),
)
def test_parity_with_options(client, languagetool_url: str, seed_text: str, options: dict[str, str]) -> None:
    params = {"text": seed_text, "language": "en-US", **options}
    ours = copydesk_check(client, params)
    assert_parity(raw_check(languagetool_url, params), ours)
    selection = RuleSelection(
        enabled_rules=frozenset(filter(None, options.get("enabledRules", "").split(","))),
        disabled_rules=frozenset(filter(None, options.get("disabledRules", "").split(","))),
        enabled_categories=frozenset(filter(None, options.get("enabledCategories", "").split(","))),
        disabled_categories=frozenset(filter(None, options.get("disabledCategories", "").split(","))),
        enabled_only=options.get("enabledOnly") in ("true", "yes"),
    )
    added = [m for m in ours["matches"] if is_copydesk(m)]
    assert added, "copydesk added nothing"
    assert all(selection.is_active(m["rule"]["id"], m["rule"]["category"]["id"]) for m in added)


def test_a_check_split_by_mode_as_the_browser_extension_does_gives_each_finding_once(
    client, languagetool_url: str
) -> None:
    """The extension checks each changed paragraph with allButTextLevelOnly and the whole text
    with textLevelOnly, then merges: LanguageTool's and copydesk's findings each come back once."""
    text = ("Putin left Jinping till the car (after the talks.\n\n"
            "He said this are fine. He said it twice. He said it again, know the meaning, in order to win. "
            "He said it once more.")
    whole = {"text": text, "language": "en-US"}
    text_level = copydesk_check(client, {**whole, "mode": "textLevelOnly"})
    assert text_level == raw_check(languagetool_url, {**whole, "mode": "textLevelOnly"})
    assert {m["rule"]["id"] for m in text_level["matches"]} == {"EN_UNPAIRED_BRACKETS",
                                                                "ENGLISH_WORD_REPEAT_BEGINNING_RULE"}
    merged = [(m["rule"]["id"], m["offset"], m["length"]) for m in text_level["matches"]]
    start = 0
    for paragraph in text.split("\n\n"):
        answer = copydesk_check(client, {"text": paragraph, "language": "en-US", "mode": "allButTextLevelOnly"})
        merged += [(m["rule"]["id"], start + m["offset"], m["length"]) for m in answer["matches"]]
        start += len(paragraph) + 2
    assert len(merged) == len(set(merged)), Counter(merged).most_common(3)
    ids = [rule_id for rule_id, _, _ in merged]
    assert {"translationese.till-place", "clickbait.know-the-meaning", "style.in-order-to"} <= set(ids)
    # One problem, one finding: copydesk's twin of LanguageTool's text-level rule is left to it.
    assert "ENGLISH_WORD_REPEAT_BEGINNING_RULE" in ids and "readability.sentence-starts" not in ids
    everything = raw_check(languagetool_url, whole)["matches"]
    assert sorted(m for m in merged if "." not in m[0]) == sorted(
        (m["rule"]["id"], m["offset"], m["length"]) for m in everything)


def test_rule_values_and_the_other_languagetool_parameters_reach_it_as_sent(
    app, client, languagetool_url: str, seed_text: str
) -> None:
    """LanguageTool's Java client sends ``ruleValues``: LanguageTool's answer with them is the
    one copydesk passes on (TOO_LONG_SENTENCE flags sentences over 10 words, not its default)."""
    params = {"text": seed_text, "language": "en-US", "level": "picky", "ruleValues": "TOO_LONG_SENTENCE:10"}
    raw = raw_check(languagetool_url, params)
    default = raw_check(languagetool_url, {k: v for k, v in params.items() if k != "ruleValues"})
    long_ones = [m for m in raw["matches"] if m["rule"]["id"] == "TOO_LONG_SENTENCE"]
    assert len(long_ones) > len([m for m in default["matches"] if m["rule"]["id"] == "TOO_LONG_SENTENCE"])
    assert_parity(raw, copydesk_check(client, params))
    sent = {"noopLanguages": "en", "preferredLanguages": "en,de", "textSessionId": "42", "useragent": "ltex"}
    request = parse_check_request({**params, **sent}, rules=app.extensions["copydesk"].rulebook, languages=None,
                                  max_text_chars=len(seed_text))
    del params["text"]  # the text goes beside them, as the Document's
    assert dict(request.document.options.languagetool) == {**params, **sent}


RULE_VALUES = ["TOO_LONG_SENTENCE:5", "A:1,", "A:1, B:2", "A: 1 ", "A:+1", "A:-2147483648", "A:2147483647",
               "A:1:2", ":1", "A:\u0661", ",,,", "", "A", "A:", ",A:1", "A:1,,B:2", "A::1", "A:x", "A:1.5", "A:+",
               "A:2147483648", "A:-2147483649", "A:1_0", "A:" + "9" * 5000, "A:" + "0" * 30 + "7", "A:\u0660" * 3,
               # Typed values (LanguageTool's RuleOption): s text, b yes/no, f/d Java numbers, c a character, i int.
               "A:btrue", "A:b", "A: b", "A:s", "A:sfoo", "A:cA", "A:c", "A: c", "A:i5", "A:i 5", "A:ix", "A:i",
               "A:f1.5", "A:fx", "A:f", "A:f 1.5 ", "A:fNaN", "A:fnan", "A:fInfinity", "A:finf", "A:f1e3", "A:f1e",
               "A:f.5", "A:f1.", "A:f.", "A:f1.5f", "A:f1.5x", "A:f0x1p3", "A:f0x1", "A:f0x.8p1", "A:f1_0",
               "A:d-2.5E-3D", "A:d+", "A:f" + "1" * 3000 + "x", "A:l5", "A:5;6", "A:5;x", "A:;", "A:5;", "A:;5",
               "A:s;b", "A:F1", "A:\u0661\u0662",
               # Readable, but of another type than the rule takes (a whole number): LanguageTool fails
               # to cast it, a 500 for every check with it.
               "TOO_LONG_SENTENCE:f1.5", "TOO_LONG_SENTENCE:btrue", "TOO_LONG_SENTENCE:sText",
               "TOO_LONG_SENTENCE:cX", "TOO_LONG_SENTENCE:sX;5", "TOO_LONG_SENTENCE:i5"]
CATEGORIES = ["TYPOS", "NOPE", "A,", ",", "A,\u00a0", "", " ", "\t", "A,,B", ",A", "A, ,B"]


@pytest.mark.parametrize(
    "params",
    [{"ruleValues": value} for value in RULE_VALUES]
    + [{name: value} for name in ("enabledCategories", "disabledCategories") for value in CATEGORIES]
    + [{"enabledOnly": "true", "enabledCategories": value} for value in ("A,,B", "TYPOS", ",")]
    + [{"language": "auto", "preferredVariants": value}
       for value in ("-", "---", "en-GB,-", "-,en-GB", "en-GB, -", "-GB", "en-GB", ",-", "en_GB", " -")]
    + [{"language": language, "preferredLanguages": value}
       for language in ("auto", "en-US") for value in ("en,de", "en,,de", "EN", "", "en-US", "en, de-AT", "-")],
    ids=repr,
)
def test_parameters_languagetool_cannot_read_are_a_400_where_languagetool_fails(
    client, languagetool_url: str, params: dict[str, str]
) -> None:
    """LanguageTool answers a ``ruleValues``, a category list, ``preferredVariants`` or
    ``preferredLanguages`` it cannot read with a 500 ("Internal Error"), which copydesk would
    pass on as a server that is down; copydesk refuses exactly those with a 400 that says what
    is wrong, and passes every other one on."""
    params = {"text": "This sentence has quite a few words in it for a check.", "language": "en-US", **params}
    raw = requests.post(urllib.parse.urljoin(languagetool_url, "/v2/check"), data=params, timeout=60)
    ours = client.post("/v2/check", data=params)
    assert (raw.status_code, ours.status_code) in ((200, 200), (400, 400), (500, 400)), (
        raw.text[:200], ours.get_data()[:200])
    if raw.status_code == 500:
        named = "ruleValues|enabledCategories|disabledCategories|preferredVariants|preferredLanguages"
        assert re.fullmatch(rf"Error: '({named})' (must|has|may) .{{20,200}}", ours.get_data(as_text=True))


def test_a_rule_value_of_another_type_is_a_400_with_incomplete_results_allowed_too(client) -> None:
    """A 503 with Retry-After would have clients retry a request that fails every time."""
    params = {"text": "A short text.", "language": "en-US", "ruleValues": "TOO_LONG_SENTENCE:f1.5",
              "allowIncompleteResults": "true"}
    answer = client.post("/v2/check", data=params)
    assert answer.status_code == 400 and answer.mimetype == "text/plain"
    assert answer.get_data(as_text=True).startswith("Error: 'ruleValues' has a value of a type its rule does not take")


ODD_VALUES = ["", " ", ",", "-", ":", ",,", "a:b", "x" * 300, "\x00", "%", "en", "auto", "en-US", "null", "[]", "{}",
              "-1", "true", "A,B", "en-GB,-", "zz", "--", "a-", "-a", "en-US,", ",en-US", "\t", "\u00e9", "\U0001f642"]


@pytest.mark.parametrize("language", ["en-US", "auto"])
@pytest.mark.parametrize("name", ["motherTongue", "enabledRules", "disabledRules", "enabledCategories",
                                  "disabledCategories", "enabledOnly", "level", "mode", "ruleValues", "noopLanguages",
                                  "preferredLanguages", "preferredVariants", "textSessionId", "useragent",
                                  "allowIncompleteResults", "data", "language"])
def test_odd_values_of_every_parameter_get_languagetools_status_or_a_400_for_its_500(
    client, languagetool_url: str, name: str, language: str
) -> None:
    """Each parameter with odd values, sent to LanguageTool and to copydesk: copydesk answers
    with LanguageTool's status, except a 400 where LanguageTool fails with a 500."""
    differ = []
    for value in ODD_VALUES:
        params = {"text": "Hello world, this is a test sentence.", "language": language, name: value}
        if name == "data":
            del params["text"]
        raw = requests.post(urllib.parse.urljoin(languagetool_url, "/v2/check"), data=params, timeout=60)
        ours = client.post("/v2/check", data=params)
        expected = 400 if raw.status_code == 500 else raw.status_code
        if ours.status_code != expected:
            differ.append((value[:20], raw.status_code, raw.text[:80], ours.status_code, ours.get_data()[:80]))
    assert not differ


HOSTILE_PARAMETERS = [
    ("ruleValues", lambda n: "A:f" + "1" * n + "x"),
    ("ruleValues", lambda n: "A:d0x" + "a" * n + "x"),
    ("ruleValues", lambda n: "A:" + "0" * n + "5"),
    ("ruleValues", lambda n: "A:" + ";" * n),
    ("ruleValues", lambda n: "A:1," * (n // 4)),
    ("ruleValues", lambda n: "A:b1;" * (n // 5)),
    ("ruleValues", lambda n: ":" * n),
    ("preferredVariants", lambda n: "-" * n),
    ("preferredVariants", lambda n: "," + " " * n + "x"),
    ("enabledCategories", lambda n: " ," * (n // 2)),
]


@pytest.mark.parametrize(("name", "value"), HOSTILE_PARAMETERS, ids=range(len(HOSTILE_PARAMETERS)))
def test_reading_parameters_runs_in_linear_time_on_hostile_values(
    app, name: str, value: Callable[[int], str]
) -> None:
    """What copydesk reads of LanguageTool's parameters (Java-style splits, Java numbers) on
    values near the body limit: doubling one must not much more than double the CPU time."""
    rules = app.extensions["copydesk"].rulebook

    def elapsed(size: int) -> float:
        params = {"text": "Hello there.", "language": "auto", name: value(size)}
        best = float("inf")
        for _ in range(3):
            started = time.thread_time()  # CPU time: other processes on a busy host do not count
            with contextlib.suppress(LanguageToolRequestError):
                parse_check_request(params, rules=rules, languages=None, max_text_chars=1_000)
            best = min(best, time.thread_time() - started)
        return best

    half, full = elapsed(1_000_000), elapsed(2_000_000)
    assert full < 5.0, f"{full:.2f} s"
    assert full < 4 * half + 0.05, f"half {half:.3f} s, full {full:.3f} s"


def test_disabled_rules_remove_a_copydesk_rule_and_nothing_else(client, seed_answer: dict, seed_text: str) -> None:
    params = {"text": seed_text, "language": "en-US", "disabledRules": "translationese.till-place"}
    ours = copydesk_check(client, params)
    before = Counter(m["rule"]["id"] for m in seed_answer["matches"])
    after = Counter(m["rule"]["id"] for m in ours["matches"])
    assert before["translationese.till-place"] > 0 and after["translationese.till-place"] == 0
    del before["translationese.till-place"]
    assert after == before


def test_a_rule_switched_off_no_longer_hides_the_findings_it_supersedes(client) -> None:
    """The packs ran with every rule on and the answer was filtered after: a promo line's rule,
    switched off, still hid the glued domain in it, which the client then never got."""
    text = "Putin met Xi on Monday.\n\nFollow for more updates:newsydron.com\n\nThe talks lasted four hours."
    at = text.index("newsydron")

    def ours(**params: str) -> list[tuple[str, int]]:
        answer = copydesk_check(client, {"text": text, "language": "en-US", **params})
        return [(m["rule"]["id"], m["offset"]) for m in answer["matches"] if is_copydesk(m)]

    assert [rule for rule, _ in ours()] == ["boilerplate.follow-for-updates"]
    assert ours(disabledRules="boilerplate.follow-for-updates") == [("boilerplate.glued-domain", at)]
    only = ours(enabledOnly="true", enabledRules="boilerplate.glued-domain")
    assert only == [("boilerplate.glued-domain", at)]


def test_a_pack_is_a_category_clients_can_switch_off(client, seed_answer: dict, seed_text: str) -> None:
    categories = {m["rule"]["category"]["id"] for m in seed_answer["matches"] if is_copydesk(m)}
    assert categories == {"COPYDESK_TRANSLATIONESE", "COPYDESK_BOILERPLATE", "COPYDESK_CLICKBAIT",
                          "COPYDESK_READABILITY"}
    ours = copydesk_check(
        client, {"text": seed_text, "language": "en-US", "disabledCategories": "COPYDESK_TRANSLATIONESE"}
    )
    assert not [m for m in ours["matches"] if m["rule"]["id"].startswith("translationese.")]
    assert [m for m in ours["matches"] if m["rule"]["id"].startswith("clickbait.")]


def test_copydesk_matches_never_pose_as_spelling(seed_answer: dict, seed_text: str) -> None:
    added = [m for m in seed_answer["matches"] if is_copydesk(m)]
    for match in added:
        rule = match["rule"]
        assert not rule["id"].startswith(SPELLING_PREFIXES) and not rule["id"].endswith("_SPELLER_RULE")
        assert rule["issueType"] in ("grammar", "style")
        assert context_span(match) == span16(seed_text, match).replace("\n", " ")
    by_id = {m["rule"]["id"]: m for m in added}
    assert by_id["translationese.till-place"]["rule"]["issueType"] == "grammar"
    assert by_id["clickbait.know-the-meaning"]["rule"]["issueType"] == "style"
    assert by_id["readability.hard-sentence"]["ignoreForIncompleteSentence"] is True
    assert by_id["readability.hard-sentence"]["contextForSureMatch"] == -1  # LanguageTool's "the whole sentence"
    # The type of LanguageTool's own matches that are not spelling (UnknownWord is an unknown word).
    languagetools = [m for m in seed_answer["matches"] if not is_copydesk(m)]
    assert {m["type"]["typeName"] for m in languagetools if m["rule"]["issueType"] != "misspelling"} == {
        m["type"]["typeName"] for m in added
    }


def test_a_copydesk_match_in_annotated_text_has_the_sentence_languagetool_reads(client, languagetool_url) -> None:
    """The sentence was sliced from the prose view, where markup is blanked: "He said that    he"
    and "Caf         owners", beside LanguageTool's own match in it reading "that he" and "Café"."""
    parts = [{"markup": "<p>"}, {"text": "He said that "}, {"markup": "<b>"}, {"text": "he"}, {"markup": "</b>"},
             {"text": " will utilize teh plan "}, {"markup": "&#128512;", "interpretAs": "\U0001f600"},
             {"text": " and Caf"}, {"markup": "&eacute;", "interpretAs": "\u00e9"}, {"text": " owners."},
             {"markup": "</p>", "interpretAs": "\n\n"}]
    params = {"language": "en-US", "data": json.dumps({"annotation": parts})}
    matches = copydesk_check(client, params)["matches"]
    (theirs,) = [m["sentence"] for m in raw_check(languagetool_url, params)["matches"] if "teh" in m["sentence"]]
    assert theirs == "He said that he will utilize teh plan \U0001f600 and Caf\u00e9 owners."
    ours = [m["sentence"] for m in matches if is_copydesk(m)]
    assert ours and set(ours) == {theirs}


def test_a_wrong_usage_is_grammar_and_each_pack_is_one_category(client) -> None:
    """A warning of the "usage" category (a misheard idiom, a word run together) is marked as grammar,
    like a calque; every match of a pack carries one category, whose name differs from another pack's."""
    text = "The city should of fixed the road sooner. Alot of residents paid more. Putin left Jinping till the car."
    # LanguageTool's MODAL_OF flags "should of" too, and its match is the one a client gets
    # (same_as_languagetool): turned off, copydesk's is there.
    request = {"text": text, "language": "en-US", "disabledRules": "MODAL_OF"}
    matches = {m["rule"]["id"]: m for m in copydesk_check(client, request)["matches"]}
    assert {"style.should-of", "style.alot", "translationese.till-place"} <= matches.keys()
    assert matches["style.should-of"]["rule"]["issueType"] == "grammar"
    assert matches["style.alot"]["rule"]["issueType"] == "grammar"
    # The sentence each stands in, as LanguageTool gives a match's (at its start, too).
    assert matches["style.should-of"]["sentence"] == "The city should of fixed the road sooner."
    assert matches["style.alot"]["sentence"] == "Alot of residents paid more."
    should_of, alot, till = (matches[r]["rule"]["category"] for r in ("style.should-of", "style.alot",
                                                                        "translationese.till-place"))
    assert should_of == alot
    assert till["id"] != should_of["id"] and till["name"] != should_of["name"]


# --------------------------------------------------------------------------------------------
# Ways in: form, form labelled JSON, query string, annotated data; offsets in UTF-16 units
# --------------------------------------------------------------------------------------------


def test_form_body_labelled_json_is_read_as_a_form(client, seed_answer: dict, seed_text: str) -> None:
    body = urllib.parse.urlencode({"text": seed_text, "language": "en-US"})
    response = client.post("/v2/check", data=body, content_type="application/json")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["matches"] == seed_answer["matches"]


def test_get_with_query_parameters(client) -> None:
    text = "Putin left Jinping till the car after the talks."
    response = client.get("/v2/check", query_string={"text": text, "language": "en-US"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "translationese.till-place" in {m["rule"]["id"] for m in response.get_json()["matches"]}


def test_query_parameters_win_over_the_body_as_in_languagetool(client) -> None:
    text = "Putin left Jinping till the car after the talks."
    response = client.post(
        "/v2/check?disabledRules=translationese.till-place", data={"text": text, "language": "en-US"}
    )
    assert response.status_code == 200
    assert "translationese.till-place" not in {m["rule"]["id"] for m in response.get_json()["matches"]}


def test_a_parameter_sent_twice_has_its_last_value_as_in_languagetool(client, languagetool_url: str) -> None:
    text = "Putin left Jinping till the car after the talks. I has a apple."
    query = "?language=en-GB&language=en-US&disabledRules=HAPPEN_TO&disabledRules=translationese.till-place"
    raw = requests.post(urllib.parse.urljoin(languagetool_url, "/v2/check" + query), data={"text": text}, timeout=60)
    assert raw.json()["language"]["code"] == "en-US"
    for response in (client.post("/v2/check" + query, data={"text": text}),
                     client.get("/v2/check" + query + "&text=" + urllib.parse.quote(text))):
        assert response.status_code == 200, response.get_data(as_text=True)
        assert_parity(raw.json(), response.get_json())
        assert "translationese.till-place" not in {m["rule"]["id"] for m in response.get_json()["matches"]}


def test_annotated_data_offsets_point_into_the_markup(client, languagetool_url: str) -> None:
    parts = [
        {"markup": "<h1>"},
        {"text": "Putin left Jinping till the car"},
        {"markup": "</h1>\n<p>", "interpretAs": "\n\n"},
        {"text": "He said "},
        {"markup": "<b>"},
        {"text": "this are"},
        {"markup": "</b>"},
        {"text": " fine, know the meaning after the meeting."},
        {"markup": "</p>", "interpretAs": "\n\n"},
    ]
    source = "".join(p.get("text", p.get("markup")) for p in parts)
    params = {"data": json.dumps({"annotation": parts}), "language": "en-US"}
    ours = copydesk_check(client, params)
    assert_parity(raw_check(languagetool_url, params), ours)
    spans = {(m["rule"]["id"], span16(source, m)) for m in ours["matches"]}
    assert {("translationese.till-place", TILL), ("clickbait.know-the-meaning", KNOW)} <= spans
    languagetool = [m for m in ours["matches"] if not is_copydesk(m)]
    assert languagetool and all(m["offset"] > source.index("<b>") for m in languagetool)
    assert any(span16(source, m) in ("this are", "are") for m in languagetool)


def test_data_with_plain_text_is_a_plain_text_check(client, languagetool_url: str) -> None:
    params = {"data": json.dumps({"text": "Putin left Jinping till the car. I has a apple."}), "language": "en-US"}
    ours = copydesk_check(client, params)
    assert_parity(raw_check(languagetool_url, params), ours)
    assert "translationese.till-place" in {m["rule"]["id"] for m in ours["matches"]}


@pytest.mark.parametrize(
    ("data", "replaced"),
    [
        (r'{"text": "In order to win \ud83d I has a apple."}', {"text": "In order to win \ufffd I has a apple."}),
        (r'{"annotation": [{"markup": "<p \ud83d>"}, {"text": "In order to win \udc00 I has a apple."}]}',
         {"annotation": [{"markup": "<p \ufffd>"}, {"text": "In order to win \ufffd I has a apple."}]}),
    ],
    ids=["text", "annotation"],
)
def test_a_lone_surrogate_in_data_is_read_as_a_replacement_character(
    client, languagetool_url: str, data: str, replaced: dict
) -> None:
    """JSON can escape half an emoji; LanguageTool checks such a text. copydesk reads the half as
    U+FFFD (one unit, one code point, like the half), so the offsets are LanguageTool's."""
    ours = copydesk_check(client, {"data": data, "language": "en-US"})
    assert_parity(raw_check(languagetool_url, {"data": json.dumps(replaced), "language": "en-US"}), ours)
    source = replaced.get("text") or "".join(p.get("text", p.get("markup")) for p in replaced["annotation"])
    offsets = {m["rule"]["id"]: m["offset"] for m in ours["matches"]}
    assert offsets["style.in-order-to"] == source.index("In order to")
    assert offsets["NON3PRS_VERB"] == source.index("has")


def test_emoji_offsets_equal_raw_languagetool(client, languagetool_url: str) -> None:
    text = "😀🎉 Welcome! 👍 I has a apple. Then Putin left Jinping till the car 🚗 and they know the meaning now."
    params = {"text": text, "language": "en-US"}
    raw, ours = raw_check(languagetool_url, params), copydesk_check(client, params)
    assert raw["matches"]
    assert_parity(raw, ours)
    spans = {m["rule"]["id"]: span16(text, m) for m in ours["matches"]}
    assert spans["translationese.till-place"] == TILL
    till = next(m for m in ours["matches"] if m["rule"]["id"] == "translationese.till-place")
    assert till["offset"] == text.index(TILL) + 3  # three astral characters before it: three more units
    for match in raw["matches"]:
        assert span16(text, match)  # LanguageTool's own spans, in the same units
    for match in ours["matches"]:  # clients highlight the span inside the context in the same units
        assert context_span(match) == span16(text, match), match


# Two-letter "words" LanguageTool flags one by one, so its matches start at every distance from
# the text's ends, around the 40 units of a context's reach; with an emoji it cuts in half at the edge.
_FILLER = "ab cd ef gh ij kl mn op qr st uv wx yz ab cd ef gh ij kl mn op qr st"


@pytest.mark.parametrize(
    "text",
    [
        _FILLER,
        "😀" + _FILLER.replace(" mn", " 👍 mn", 1),
        _FILLER.replace(" ij", "\nij").replace(" wx", "\r\nwx"),
    ],
    ids=["plain", "emoji", "line-breaks"],
)
def test_copydesks_match_context_is_languagetools_for_the_same_span(languagetool_url: str, text: str) -> None:
    """copydesk writes its own matches' context as LanguageTool writes its own: so for the spans of
    LanguageTool's matches, ``languagetool_context`` gives LanguageTool's context, "..." and all."""
    raw = raw_check(languagetool_url, {"text": text, "language": "en-US"})
    index = Utf16Index(text)
    contexts = [match["context"]["text"] for match in raw["matches"]]
    assert {c.startswith("...") for c in contexts} == {c.endswith("...") for c in contexts} == {True, False}
    for match in raw["matches"]:
        assert languagetool_context(text, *index.span(match["offset"], match["length"])) == match["context"]
    if "😀" in text:  # the edge cut the first emoji in half
        assert any(match["context"]["text"].startswith("...?") for match in raw["matches"])


# --------------------------------------------------------------------------------------------
# Real clients over HTTP
# --------------------------------------------------------------------------------------------


def test_language_tool_python_gets_languagetools_matches_plus_copydesks(
    live_url: str, languagetool_url: str, seed_text: str
) -> None:
    ours = language_tool_python.LanguageTool("en-US", remote_server=live_url)
    raw = language_tool_python.LanguageTool("en-US", remote_server=languagetool_url)
    try:
        ours_matches, raw_matches = ours.check(seed_text), raw.check(seed_text)
        keys = lambda matches: Counter((m.rule_id, m.offset, m.error_length) for m in matches)  # noqa: E731
        assert raw_matches and not keys(raw_matches) - keys(ours_matches)
        spans = {seed_text[m.offset : m.offset + m.error_length] for m in ours_matches}
        assert {TILL, KNOW} <= spans
        ours.disabled_rules.add("translationese.till-place")
        assert "translationese.till-place" not in {m.rule_id for m in ours.check(seed_text)}
    finally:
        ours.close()
        raw.close()


def test_language_tool_python_sees_the_same_emoji_offsets(live_url: str, languagetool_url: str) -> None:
    text = "🙂 I has a apple, 👍 then Putin left Jinping till the car."
    ours = language_tool_python.LanguageTool("en-US", remote_server=live_url)
    raw = language_tool_python.LanguageTool("en-US", remote_server=languagetool_url)
    try:
        ours_matches, raw_matches = ours.check(text), raw.check(text)
        assert raw_matches
        assert {(m.rule_id, m.offset) for m in raw_matches} <= {(m.rule_id, m.offset) for m in ours_matches}
        till = next(m for m in ours_matches if m.rule_id == "translationese.till-place")
        assert text[till.offset : till.offset + till.error_length] == TILL
    finally:
        ours.close()
        raw.close()


@pytest.fixture(scope="module")
def java_client() -> Callable[..., subprocess.CompletedProcess[str]]:
    """LanguageTool's Java client (``tests/clients/java``; ``make test`` fetches its jar), run on the
    LanguageTool server's jars, which carry the Jackson it needs."""
    jars = PROJECT_ROOT / JAVA_CLIENT_JARS
    assert list(jars.glob("languagetool-http-client-*.jar")), f"no client jar in {jars}: run `make test`"
    classpath = f"{jars}/*{os.pathsep}{Settings.load().languagetool_home / 'lib'}/*"

    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        command = ["java", "-cp", classpath, str(CLIENTS / "java" / "LanguageToolJavaClient.java"), *arguments]
        return subprocess.run(command, capture_output=True, text=True, timeout=180)

    return run


def java_answer(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_languagetools_java_client_gets_its_matches_plus_copydesks_at_utf16_offsets(
    java_client, live_url: str, languagetool_url: str, seed_text: str, tmp_path: Path
) -> None:
    """Java counts UTF-16 units, as LanguageTool does: after the emoji, every match still covers
    the words it is about, and LanguageTool's own matches are the ones it gives the client."""
    text = seed_text + "\n\n🙂👍 He go home. Putin left Jinping till the car.\n"
    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    ours = java_answer(java_client("check", live_url, "en-US", str(article)))["matches"]
    raw = java_answer(java_client("check", languagetool_url, "en-US", str(article)))["matches"]
    assert raw and [m for m in ours if not m["categoryId"].startswith("COPYDESK_")] == raw
    tills = [m for m in ours if m["ruleId"] == "translationese.till-place"]
    assert {m["covered"] for m in tills} == {TILL}
    last = text.rindex(TILL)  # in code points; two emoji before it, two UTF-16 units each
    assert tills[-1]["offset"] == last + 2 == len(text[:last].encode("utf-16-le")) // 2
    assert {m["covered"] for m in ours if m["ruleId"] == "clickbait.know-the-meaning"} == {KNOW}
    assert "go" in {m["covered"] for m in raw if m["ruleId"] == "HE_VERB_AGR"}
    assert {m["issueType"] for m in ours if m["categoryId"].startswith("COPYDESK_")} <= {"grammar", "style"}


def test_languagetools_java_client_reads_the_limits_and_gets_languagetools_413(
    java_client, app, live_url: str, languagetool_url: str, tmp_path: Path
) -> None:
    raw_limit = int(requests.get(urllib.parse.urljoin(languagetool_url, "/v2/maxtextlength"), timeout=30).text)
    limits = java_answer(java_client("limits", live_url, "en-US"))
    assert limits["maxTextLength"] == limits["configMaxTextLength"] == raw_limit  # under COPYDESK_MAX_TEXT_CHARS
    assert raw_limit < app.extensions["copydesk"].settings.max_text_chars
    configinfo = requests.get(urllib.parse.urljoin(languagetool_url, "/v2/configinfo"), params={"language": "en-US"},
                              timeout=60).json()
    assert limits["rules"] == len(configinfo["rules"]) > 1000
    article = tmp_path / "long.txt"
    article.write_text("He go home. " * (raw_limit // 12 + 1), encoding="utf-8")  # over the limit by a sentence
    for server in (live_url, languagetool_url):
        refused = java_client("check", server, "en-US", str(article))
        assert refused.returncode == 1
        assert f"Your text exceeds the limit of {raw_limit} characters" in refused.stderr
        assert "HTTP response code 413" in refused.stderr


def test_pylanguagetool_library_and_cli(live_url: str, languagetool_url: str, seed_text: str, tmp_path: Path) -> None:
    ours = pylanguagetool.check(seed_text, api_url=f"{live_url}/v2/", lang="en-US")
    raw = pylanguagetool.check(seed_text, api_url=urllib.parse.urljoin(languagetool_url, "/v2/"), lang="en-US")
    assert_parity(raw, ours)
    article = tmp_path / "seed.txt"
    article.write_text(seed_text, encoding="utf-8")
    arguments = ["--api-url", f"{live_url}/v2/", "--lang", "en-US", "--no-color", "--rules", str(article)]
    run_cli = f"{PKG_RESOURCES}; from pylanguagetool.cli import main; sys.argv = ['pylanguagetool', *{arguments!r}]"
    result = subprocess.run([sys.executable, "-c", run_cli + "; main()"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr  # it exits 1 when it found something
    assert "translationese.till-place: 'till' used for a place" in result.stdout
    assert "MORFOLOGIK_RULE_EN_US" in result.stdout


def test_textlint_with_copydesks_rule(live_url: str, tmp_path: Path) -> None:
    """textlint, a real JavaScript client, with the rule in examples/ (``make test`` installs both
    with npm in tests/clients): JavaScript counts UTF-16 units, as the answer does."""
    assert TEXTLINT.exists(), "run `make test` (it runs npm ci in tests/clients)"
    options = {"url": live_url, "parameters": {"disabledRules": "EN_A_VS_AN"}}
    (tmp_path / ".textlintrc.json").write_text(json.dumps({"rules": {"copydesk": options}}), encoding="utf-8")
    files = {
        "note.txt": "😀 Putin left Jinping till the car. I has a apple.\n\nThen, know the meaning of it.\n",
        "note.md": "# Putin left Jinping till the car\n\nHe said **this are** fine, [know the meaning](https://x.example).\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        [str(TEXTLINT), "--config", ".textlintrc.json", "--rules-base-directory", str(CLIENTS / "node_modules"),
         "--format", "json", *files],
        cwd=tmp_path, capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 1, result.stdout + result.stderr  # textlint exits 1 when it reports errors
    found = {
        (Path(report["filePath"]).name, message["message"].rsplit("[", 1)[1].rstrip("]"),
         span16(files[Path(report["filePath"]).name], {"offset": message["range"][0],
                                                        "length": message["range"][1] - message["range"][0]}))
        for report in json.loads(result.stdout)
        for message in report["messages"]
    }
    assert {("note.txt", "translationese.till-place", TILL), ("note.txt", "BASE_FORM", "has"),
            ("note.txt", "clickbait.know-the-meaning", KNOW), ("note.md", "translationese.till-place", TILL),
            ("note.md", "clickbait.know-the-meaning", KNOW)} <= found
    assert not [rule for _, rule, _ in found if rule == "EN_A_VS_AN"]  # the parameters reach the server


# --------------------------------------------------------------------------------------------
# The other endpoints, errors, CORS
# --------------------------------------------------------------------------------------------


def test_maxtextlength_and_configinfo_are_languagetools(app, client, languagetool_url: str) -> None:
    raw = urllib.parse.urljoin(languagetool_url, "/v2/")
    limit = client.get("/v2/maxtextlength")
    assert (limit.status_code, limit.mimetype) == (200, "text/plain")
    assert limit.get_data(as_text=True) == requests.get(raw + "maxtextlength", timeout=30).text
    ours = client.post("/v2/configinfo", data={"language": "en-GB"}).get_json()
    assert ours == requests.get(raw + "configinfo", params={"language": "en-GB"}, timeout=60).json()
    for params, says in [({}, "'language' parameter missing"), ({"language": "auto"}, "'auto' is not a language code"),
                         ({"language": "xx"}, "'xx' is not a language code known to LanguageTool")]:
        refused = client.get("/v2/configinfo", query_string=params)
        assert (refused.status_code, refused.mimetype) == (400, "text/plain")
        assert refused.get_data(as_text=True).startswith("Error: " + says)
        theirs = requests.get(raw + "configinfo", params=params, timeout=60)  # LanguageTool refuses it too,
        assert theirs.status_code in (400, 500) and says in theirs.text  # an unknown code with a 500


def test_configinfo_asks_languagetool_once_per_language_however_many_clients_ask(
    languagetool_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LanguageTool's rule list is about 1 MB it builds for each request: a burst of them filled
    its heap while it checked a long text. Each worker asks for a language once, one at a time."""
    app = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir})
    languagetool = app.extensions["copydesk"].languagetool
    asked: list[dict[str, str] | None] = []
    running = threading.Semaphore(1)
    server_answer = languagetool.server_answer

    def counted(path: str, params: dict[str, str] | None = None, timeout: float | None = None):
        if path == "configinfo":
            assert running.acquire(blocking=False), "two at once"
            asked.append(params)
        try:
            return server_answer(path, params, timeout)
        finally:
            if path == "configinfo":
                running.release()

    monkeypatch.setattr(languagetool, "server_answer", counted)
    try:
        bodies: list[bytes] = []

        def ask(language: str) -> None:
            response = app.test_client().get("/v2/configinfo", query_string={"language": language})
            assert (response.status_code, response.mimetype) == (200, "application/json")
            bodies.append(response.get_data())

        threads = [threading.Thread(target=ask, args=(language,)) for language in ["en-US", "en-GB"] * 6]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        ask("en-US")
        assert sorted(p["language"] for p in asked) == ["en-GB", "en-US"]
        assert len(set(bodies)) == 2
        raw = urllib.parse.urljoin(languagetool_url, "/v2/configinfo")
        theirs = requests.get(raw, params={"language": "en-US"}, timeout=60).json()
        assert json.loads(bodies[-1]) == theirs  # LanguageTool's answer, its limit below copydesk's
    finally:
        app.extensions["copydesk"].scorer.close()


def test_what_languagetool_says_of_itself_is_asked_again_when_it_may_have_changed(
    languagetool_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LanguageTool can be upgraded, or restarted with another maxTextLength, behind a copydesk
    that keeps running: its languages, limit and rules are kept for ABOUT_SECONDS, and asked
    again as soon as a check is answered by another version."""
    app = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir})
    languagetool = app.extensions["copydesk"].languagetool
    asked: Counter[str] = Counter()
    server_answer = languagetool.server_answer

    def counted(path: str, params: dict[str, str] | None = None, timeout: float | None = None):
        asked[path] += 1
        return server_answer(path, params, timeout)

    monkeypatch.setattr(languagetool, "server_answer", counted)
    client = app.test_client()
    about = ("languages", "maxtextlength", "configinfo")

    def ask_about() -> None:
        for path in ("/v2/languages", "/v2/maxtextlength", "/v2/configinfo?language=en-US"):
            assert client.get(path).status_code == 200

    def check() -> None:
        assert client.post("/v2/check", data={"text": "He go home.", "language": "en-US"}).status_code == 200

    try:
        ask_about()
        check()
        ask_about()
        assert [asked[path] for path in about] == [1, 1, 1]  # kept, the same version answering
        languagetool.server_version = "6.7"  # as if the last check had been answered by 6.7
        check()
        assert languagetool.server_version != "6.7"
        ask_about()
        assert [asked[path] for path in about] == [2, 2, 2]
        monkeypatch.setattr(languagetool_client, "ABOUT_SECONDS", 0.0)
        ask_about()
        assert all(asked[path] > 2 for path in about)
    finally:
        app.extensions["copydesk"].scorer.close()


def test_only_the_languages_of_the_setting_reach_languagetool(languagetool_url: str, data_dir: Path) -> None:
    """COPYDESK_LANGUAGETOOL_LANGUAGES: LanguageTool keeps every language it is asked for in its
    heap, so an operator can name the ones /v2 passes on; the others are refused in LanguageTool's
    words, and so is detection (``auto``) unless listed."""
    app = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir,
                      "languagetool_languages": ("en-US", "EN-gb", "de-DE")})
    try:
        client = app.test_client()
        assert sorted(entry["longCode"] for entry in client.get("/v2/languages").get_json()) == [
            "de-DE", "en-GB", "en-US"]
        assert client.post("/v2/check", data={"text": "He go home.", "language": "en-GB"}).get_json()["matches"]
        supported = "Supported language codes are: de-DE, en-GB, en-US."
        for params in ({"language": "fr"}, {"language": "en-US", "motherTongue": "fr"}):
            refused = client.post("/v2/check", data={"text": "He go home.", **params})
            assert (refused.status_code, refused.mimetype) == (400, "text/plain")
            assert refused.get_data(as_text=True) == (
                f"Error: 'fr' is not a language code known to LanguageTool. {supported}")
        detected = client.post("/v2/check", data={"text": "He go home.", "language": "auto"})
        assert detected.status_code == 400 and "COPYDESK_LANGUAGETOOL_LANGUAGES" in detected.get_data(as_text=True)
        listed = client.get("/v2/configinfo", query_string={"language": "fr"})
        assert listed.status_code == 400 and supported in listed.get_data(as_text=True)
    finally:
        app.extensions["copydesk"].scorer.close()
    detecting = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir,
                            "languagetool_languages": ("en-US", "auto")})
    try:
        answer = detecting.test_client().post("/v2/check", data={"text": "He go home.", "language": "auto"})
        assert answer.status_code == 200 and answer.get_json()["language"]["code"] == "en-US"
    finally:
        detecting.extensions["copydesk"].scorer.close()


def test_a_short_code_of_an_allowed_language_is_taken_as_languagetool_takes_it(
    languagetool_url: str, data_dir: Path
) -> None:
    """language_tool_python takes both ``code`` and ``longCode`` from /v2/languages: a client made
    with ``en`` must not have every check refused. ``en`` is a language of its own to LanguageTool
    (English of no country, not en-US): it is taken when listed, as every language is."""
    app = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir,
                      "languagetool_languages": ("en-US", "en")})
    try:
        client = app.test_client()
        params = {"text": "Putin left Jinping till the car. I has a apple.", "language": "en"}
        ours = copydesk_check(client, params)
        assert_parity(raw_check(languagetool_url, params), ours)
        assert "translationese.till-place" in {m["rule"]["id"] for m in ours["matches"]}
        assert copydesk_check(client, {**params, "language": "en-US", "motherTongue": "EN"})["matches"]
        assert client.get("/v2/configinfo", query_string={"language": "en"}).status_code == 200
        refused = client.post("/v2/check", data={**params, "language": "de"})
        assert (refused.status_code, refused.get_data(as_text=True)) == (
            400, "Error: 'de' is not a language code known to LanguageTool. Supported language codes are: en, en-US.")
    finally:
        app.extensions["copydesk"].scorer.close()
    only_us = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir,
                          "languagetool_languages": ("en-US",)})
    try:
        refused = only_us.test_client().post("/v2/check", data={**params, "language": "en"})
        assert (refused.status_code, refused.get_data(as_text=True)) == (
            400, "Error: 'en' is not a language code known to LanguageTool. Supported language codes are: en-US.")
    finally:
        only_us.extensions["copydesk"].scorer.close()


def test_a_language_is_known_by_its_code_or_long_code_in_any_case() -> None:
    languages = [{"name": "Polish", "code": "pl", "longCode": "pl-PL"},
                 {"name": "English (US)", "code": "en", "longCode": "en-US"}]
    for code in ("pl", "PL", "pl-PL", "PL-pl", "en", "en-us"):
        assert configinfo_language({"language": code}, languages) == code
    # The longCodes are listed, as LanguageTool lists them.
    refusal = r"^'de' is not a language code known to LanguageTool\. Supported language codes are: en-US, pl-PL\.$"
    with pytest.raises(LanguageToolRequestError, match=refusal):
        configinfo_language({"language": "de"}, languages)
    # A short code that is a language of its own to LanguageTool (en: English of no country)
    # counts only when that language is allowed itself.
    every = [{"name": "English", "code": "en", "longCode": "en"}, *languages]
    for allowed, en_taken in ((languages, False), (every, True)):
        named = nameable(every, allowed)
        assert configinfo_language({"language": "pl"}, named) == "pl"
        if en_taken:
            assert configinfo_language({"language": "en"}, named) == "en"
        else:
            with pytest.raises(LanguageToolRequestError, match="'en' is not a language code known"):
                configinfo_language({"language": "en"}, named)


def test_the_limit_told_is_copydesks_when_lower(languagetool_url: str, data_dir: Path) -> None:
    app = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir, "max_text_chars": 5000})
    try:
        client = app.test_client()
        assert client.get("/v2/maxtextlength").get_data(as_text=True) == "5000"
        answer = client.get("/v2/configinfo", query_string={"language": "en-US"}).get_json()
        assert answer["parameter"]["maxTextLength"] == 5000
    finally:
        app.extensions["copydesk"].scorer.close()


@pytest.mark.parametrize("line", ["He go home. ", "He go home\n"], ids=["sentences", "one-sentence"])
def test_a_text_over_languagetools_limit_is_its_413_not_a_503(app, client, languagetool_url: str, line: str) -> None:
    """/v2 sends a text over LanguageTool's limit whole, not in pieces; LanguageTool's refusal is
    final, so the client gets it (asking again, as a 503 would tell it to, cannot help), with or
    without allowIncompleteResults. A text LanguageTool reads as one long sentence too."""
    limit = app.extensions["copydesk"].languagetool.max_text_length()
    text = line * (limit // len(line) + 1)
    raw = requests.post(urllib.parse.urljoin(languagetool_url, "/v2/check"), data={"text": text, "language": "en-US"},
                        timeout=60)
    for extra in ({}, {"allowIncompleteResults": "true"}):
        response = client.post("/v2/check", data={"text": text, "language": "en-US", **extra})
        assert (response.status_code, response.mimetype) == (413, "text/plain")
        assert response.get_data(as_text=True) == raw.text == (
            f"Error: Your text exceeds the limit of {limit} characters (it's {len(text)} characters). "
            "Please submit a shorter text."
        )


def test_a_piece_over_languagetools_limit_makes_grammar_unavailable_with_the_reason(
    languagetool_url: str, data_dir: Path
) -> None:
    """/v1 cuts the text itself: a piece LanguageTool refuses is copydesk's setting at fault, not the
    client's text, so the section is unavailable and says which setting."""
    app = create_app({"languagetool_url": languagetool_url, "data_dir": data_dir, "languagetool_piece_chars": 500_000})
    try:
        text = "He go home.\n\n" * 25_000  # cut in two for speed, each half still over the limit
        report = app.test_client().post("/v1/score", json={"text": text, "allow_partial": True}).get_json()
        grammar = report["checks"]["grammar"]
        assert grammar["status"] == "unavailable" and "COPYDESK_LANGUAGETOOL_PIECE_CHARS" in grammar["error"]
    finally:
        app.extensions["copydesk"].scorer.close()


def test_languages_info_and_healthcheck_are_languagetools(client, languagetool_url: str) -> None:
    raw_languages = requests.get(urllib.parse.urljoin(languagetool_url, "/v2/languages"), timeout=30).json()
    assert client.get("/v2/languages").get_json() == raw_languages
    assert {"en-US", "en-GB"} <= {entry["longCode"] for entry in raw_languages}
    info = client.get("/v2/info").get_json()
    assert info["software"]["name"] == "LanguageTool"
    health = client.get("/v2/healthcheck")
    assert (health.status_code, health.mimetype, health.get_data(as_text=True)) == (200, "text/plain", "OK")
    assert client.head("/v2/healthcheck").status_code == 200


def test_query_parameters_win_over_the_body(client) -> None:
    """As in LanguageTool (README): a parameter both in the query string and in the body is the query's."""
    response = client.post("/v2/check?language=en-US", data={"language": "de-DE", "text": "He go home."})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["language"]["code"] == "en-US"


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({"text": "Hi.", "data": '{"text": "Hi."}', "language": "en-US"}, 400, "Set only 'text' or 'data'"),
        ({"language": "en-US"}, 400, "Missing 'text' or 'data' parameter"),
        ({"text": "Hi."}, 400, "Missing 'language' parameter"),
        ({"text": "Hi.", "language": "xx-YY"}, 400, "'xx-YY' is not a language code known to LanguageTool"),
        ({"text": "Hi.", "language": "en-US", "motherTongue": "zz"}, 400, "'zz' is not a language code"),
        ({"text": "Hi.", "language": "en-US", "motherTongue": ""}, 400, "langCode cannot be empty or whitespace"),
        ({"text": "Hi.", "language": " "}, 400, "langCode cannot be empty or whitespace"),
        ({"text": "Hi.", "language": "en-US", "preferredVariants": "en-GB"}, 400, "didn't specify 'language=auto'"),
        ({"text": "Hi.", "language": "en-US", "enabledOnly": "true"}, 400, "You must specify enabled rules"),
        ({"text": "Hi.", "language": "en-US", "enabledOnly": "yes"}, 400, "You must specify enabled rules"),
        ({"text": "Hi.", "language": "en-US", "enabledOnly": "true", "enabledRules": "X", "disabledRules": "Y"},
         400, "You cannot specify disabled rules"),
        ({"text": "Hi.", "language": "en-US", "level": "loud"}, 400, "Unknown value 'loud' for parameter 'level'"),
        ({"text": "Hi.", "language": "en-US", "enabled": "X"}, 400, "now called 'enabledRules'"),
        ({"data": "{not json", "language": "en-US"}, 400, "Could not parse JSON from 'data' parameter"),
        ({"data": '{"annotation": [{"text": "a", "markup": "b"}]}', "language": "en-US"}, 400, "not both"),
        ({"data": '{"annotation": [{"text": "a", "interpretAs": "b"}]}', "language": "en-US"}, 400,
         "'text' cannot be used with 'interpretAs'"),
        ({"data": '{"annotation": [{"other": "a"}]}', "language": "en-US"}, 400,
         "Only 'text' and 'markup' are supported"),
        ({"data": '{"metaData": {}}', "language": "en-US"}, 400, "requires 'text' or 'annotation' key"),
        # LanguageTool walks an object's values as the list
        ({"data": '{"annotation": {"text": "a"}}', "language": "en-US"}, 400,
         "Only 'text' and 'markup' are supported in 'annotation' list: \"a\""),
    ],
)
def test_bad_parameters_get_languagetools_plain_text_400(
    client, languagetool_url: str, params: dict[str, str], status: int, says: str
) -> None:
    response = client.post("/v2/check", data=params)
    assert (response.status_code, response.mimetype) == (status, "text/plain")
    body = response.get_data(as_text=True)
    assert body.startswith("Error: ") and says in body, body
    assert "Traceback" not in body and "127.0.0.1" not in body
    raw = requests.post(urllib.parse.urljoin(languagetool_url, "/v2/check"), data=params, timeout=60)
    assert raw.status_code == status and says in raw.text  # LanguageTool says the same


@pytest.mark.parametrize(
    "params",
    [{"language": "auto", "preferredVariants": "en"}, {"language": "en-US", "motherTongue": "auto"},
     {"language": "en-US", "mode": "bad"}],
    ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()),
)
def test_a_parameter_languagetool_refuses_gets_its_status_and_text(
    client, languagetool_url: str, params: dict[str, str]
) -> None:
    """copydesk does not check these itself; LanguageTool refuses them, and asking again (503) or
    an answer without LanguageTool's findings (allowIncompleteResults) would hide why."""
    params = {"text": "I has a apple.", **params}
    raw = requests.post(urllib.parse.urljoin(languagetool_url, "/v2/check"), data=params, timeout=60)
    assert raw.status_code == 400 and raw.text.startswith("Error: ")
    for extra in ({}, {"allowIncompleteResults": "true"}):
        response = client.post("/v2/check", data={**params, **extra})
        assert (response.status_code, response.mimetype) == (400, "text/plain")
        assert response.get_data(as_text=True) == raw.text


def test_text_over_the_v1_limit_is_413(app, client) -> None:
    limit = app.extensions["copydesk"].settings.max_text_chars
    response = client.post("/v2/check", data={"text": "a" * (limit + 1), "language": "en-US"})
    assert (response.status_code, response.mimetype) == (413, "text/plain")
    assert f"exceeds the limit of {limit} characters" in response.get_data(as_text=True)
    data = json.dumps({"annotation": [{"markup": "<p>" * limit}, {"text": "a"}]})
    assert client.post("/v2/check", data={"data": data, "language": "en-US"}).status_code == 413


def test_body_over_the_limit_is_413_before_it_is_read(app, client) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/v2/check", data="text=" + "a" * limit, content_type="application/x-www-form-urlencoded")
    assert (response.status_code, response.mimetype) == (413, "text/plain")
    assert "COPYDESK_MAX_BODY_BYTES" in response.get_data(as_text=True)


@pytest.mark.parametrize("params", [{"text": ""}, {"text": "   \n"}, {"data": '{"annotation": []}'},
                                    {"data": '{"annotation": "no list"}'}, {"data": '{"annotation": null}'},
                                    {"data": '{"annotation": [{"markup": "<p> </p>", "interpretAs": "\\n\\n"}]}'}])
def test_blank_text_gets_languagetools_answer(client, languagetool_url: str, params: dict[str, str]) -> None:
    params = {**params, "language": "en-GB"}
    ours = copydesk_check(client, params)
    assert ours == raw_check(languagetool_url, params)
    assert ours["software"]["buildDate"] and "sentenceRanges" in ours


def test_credentials_are_accepted_and_unknown_parameters_ignored(client) -> None:
    params = {"text": "Putin left Jinping till the car.", "language": "en-US", "username": "ed@example.org",
              "apiKey": "k-123", "useragent": "ltex", "c": "1", "mode": "all"}
    ours = copydesk_check(client, params)
    assert "context" in ours["matches"][0] and "software" in ours


@pytest.mark.parametrize("how", ["query", "form-escaped", "form-raw"])
def test_bytes_that_are_not_utf8_read_as_languagetool_reads_them(client, languagetool_url: str, how: str) -> None:
    """LanguageTool reads them as U+FFFD; Werkzeug's query kept "%E9" as three characters (every
    offset after it two units off) and a body with one was refused."""
    encoded = b"language=en-US&text=Caf" + (b"\xe9" if how == "form-raw" else b"%E9") + b".+He+go+home."
    lt = urllib.parse.urljoin(languagetool_url, "/v2/check")
    if how == "query":
        ours = client.get("/v2/check", query_string=encoded.decode("ascii"))
        theirs = requests.get(lt + "?" + encoded.decode("latin-1"), timeout=60)
    else:
        form = {"content_type": "application/x-www-form-urlencoded"}
        ours = client.post("/v2/check", data=encoded, **form)
        theirs = requests.post(lt, data=encoded, headers={"Content-Type": form["content_type"]}, timeout=60)
    assert ours.status_code == theirs.status_code == 200, ours.get_data(as_text=True)
    native = [m for m in ours.get_json()["matches"] if not is_copydesk(m)]
    assert [(m["offset"], m["rule"]["id"]) for m in native] == [(m["offset"], m["rule"]["id"]) for m in
                                                                  theirs.json()["matches"]]
    assert any(m["rule"]["id"] == "HE_VERB_AGR" for m in native)


@pytest.mark.parametrize(
    "data",
    ['{"annotation": [{"text": null}, {"text": " He go home."}]}',
     '{"annotation": [{"markup": null}, {"text": " He go home."}]}',
     '{"annotation": [{"text": 1e20}, {"text": " He go home."}]}',
     '{"annotation": [{"text": 1e-4}, {"text": " He go home."}]}',
     '{"annotation": [{"text": 12345678.5}, {"text": " He go home."}]}',
     '{"annotation": [{"text": 100.0}, {"text": " He go home."}]}',
     '{"annotation": [{"text": 7}, {"text": " He go home."}]}',
     '{"annotation": [{"text": "He go home."}]}}',
     '{"annotation": [{"text": "He go home."}]} and more',
     '  {"text": "He go home."}'],
    ids=["null-text", "null-markup", "large-double", "small-double", "double-e7", "double", "integer",
         "brace-after", "words-after", "space-before"],
)
def test_data_is_read_as_languagetools_json_reader_reads_it(client, languagetool_url: str, data: str) -> None:
    """Jackson's asText gives "null" for null and Java's Double.toString for a number with a
    fraction, and readTree reads the first value whatever follows: copydesk read null as "" and
    1e20 as "1e+20" (every later offset moved) and refused what follows the JSON (400)."""
    params = {"data": data, "language": "en-US"}
    theirs = raw_check(languagetool_url, params)
    ours = copydesk_check(client, params)
    native = [m for m in ours["matches"] if not is_copydesk(m)]
    assert native == theirs["matches"] and any(m["rule"]["id"] == "HE_VERB_AGR" for m in native)
    assert ours["sentenceRanges"] == theirs["sentenceRanges"]


def test_data_with_nan_is_refused_as_languagetool_refuses_it(client, languagetool_url: str) -> None:
    params = {"data": '{"annotation": [{"text": NaN}, {"text": " He go home."}]}', "language": "en-US"}
    ours = client.post("/v2/check", data=params)
    theirs = requests.post(urllib.parse.urljoin(languagetool_url, "/v2/check"), data=params, timeout=60)
    assert ours.status_code == theirs.status_code == 400
    assert ours.get_data(as_text=True) == theirs.text


@pytest.mark.parametrize("encoded", ["language=en-US&text=I+am+100%+sure+he+go+home.", "language=en-US&text=a%zz",
                                     "language=en-US&text=a%2", "language=en-US&text=a%", "language=%en-US&text=a"])
def test_a_broken_escape_is_refused_as_languagetool_refuses_it(client, languagetool_url: str, encoded: str) -> None:
    """A "%" that opens no escape: LanguageTool cannot decode the form (400), where copydesk
    checked the text with the "%" in it, and a client saw findings LanguageTool never gives."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    ours = client.post("/v2/check", data=encoded, headers=form)
    theirs = requests.post(urllib.parse.urljoin(languagetool_url, "/v2/check"), data=encoded, headers=form, timeout=60)
    assert ours.status_code == theirs.status_code == 400
    assert ours.get_data(as_text=True) == theirs.text
    assert client.get("/v2/check?" + encoded).status_code == 400


@pytest.mark.parametrize("encoded", ["language=en-US&text=He+go+home.&text", "language=en-US&text=He+go+home.&text=",
                                     "language=en-US&text"])
def test_a_name_without_a_value_is_read_as_languagetool_reads_it(client, languagetool_url: str, encoded: str) -> None:
    """No "=": no parameter at all (the earlier text stands, or none is given); "text=": an empty one."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    ours = client.post("/v2/check", data=encoded, headers=form)
    theirs = requests.post(urllib.parse.urljoin(languagetool_url, "/v2/check"), data=encoded, headers=form, timeout=60)
    assert ours.status_code == theirs.status_code
    if theirs.status_code == 200:
        native = [m["rule"]["id"] for m in ours.get_json()["matches"] if not is_copydesk(m)]
        assert native == [m["rule"]["id"] for m in theirs.json()["matches"]]
    else:
        assert ours.get_data(as_text=True) == theirs.text


def test_an_origin_that_reads_as_a_regular_expression_is_taken_as_written(data_dir: Path) -> None:
    """flask-cors reads "http://[::1]:8080" as a regular expression: the page at that address was
    refused and one at "http://1:8080" let in."""
    from support import app_with

    with app_with(languagetool_url=f"http://127.0.0.1:{free_port()}", data_dir=data_dir,
                  cors_origins="https://cms.example.org,http://[::1]:8080") as app:
        client = app.test_client()

        def allowed(origin: str) -> str | None:
            return client.get("/v2/languages", headers={"Origin": origin}).headers.get("Access-Control-Allow-Origin")

        assert allowed("http://[::1]:8080") == "http://[::1]:8080"
        assert allowed("https://cms.example.org") == "https://cms.example.org"
        for other in ("http://1:8080", "http://[::1]:80800", "http://:8080"):
            assert allowed(other) is None, other


@pytest.fixture(scope="module")
def dead_languagetool_app(data_dir: Path):
    app = create_app({"languagetool_url": f"http://127.0.0.1:{free_port()}", "languagetool_timeout": 2.0,
                      "data_dir": data_dir, "cors_origins": "https://cms.example.org", "TESTING": True})
    from support import ContractClient

    app.test_client_class = ContractClient
    yield app
    app.extensions["copydesk"].scorer.close()


def test_languagetool_down_is_503_or_incomplete_results_never_500(dead_languagetool_app, languagetool_url: str) -> None:
    client = dead_languagetool_app.test_client()
    params = {"text": "Putin left Jinping till the car, know the meaning.", "language": "en-US"}
    response = client.post("/v2/check", data=params)
    assert (response.status_code, response.mimetype) == (503, "text/plain")
    assert "Retry-After" in response.headers and "127.0.0.1" not in response.get_data(as_text=True)
    response = client.post("/v2/check", data={**params, "allowIncompleteResults": "true"})
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["warnings"]["incompleteResults"] is True and answer["warnings"]["incompleteResultsReason"]
    assert list(answer)[:4] == ["software", "warnings", "language", "matches"]  # LanguageTool's order
    # The sections copydesk writes in LanguageTool's place have the fields a client reads in LanguageTool's.
    raw = raw_check(languagetool_url, params)
    assert answer["software"].keys() <= raw["software"].keys()
    same = ("name", "apiVersion", "premium")
    assert {k: answer["software"][k] for k in same} == {k: raw["software"][k] for k in same}
    assert answer["language"].keys() == raw["language"].keys()
    assert answer["language"]["detectedLanguage"].keys() == raw["language"]["detectedLanguage"].keys()
    assert answer["language"]["code"] == "en-US"
    assert {"translationese.till-place", "clickbait.know-the-meaning"} <= {m["rule"]["id"] for m in answer["matches"]}
    # With language=auto, the answer names the language copydesk read the text in.
    response = client.post("/v2/check", data={**params, "language": "auto", "allowIncompleteResults": "true"})
    assert response.status_code == 200 and response.get_json()["language"]["code"] == "en-US"
    assert "translationese.till-place" in {m["rule"]["id"] for m in response.get_json()["matches"]}
    assert client.get("/v2/healthcheck").status_code == 503
    assert client.get("/v2/languages").status_code == 503
    # Another language is LanguageTool's alone: with it down, that is a 503 too, not a 400 that
    # calls the language unknown (copydesk cannot ask which languages it knows).
    german = {"text": "Das ist ein Test.", "language": "de-DE"}
    response = client.post("/v2/check", data=german)
    assert (response.status_code, response.mimetype) == (503, "text/plain"), response.get_data(as_text=True)
    response = client.post("/v2/check", data={**german, "allowIncompleteResults": "true"})
    assert response.status_code == 200 and response.get_json()["warnings"]["incompleteResults"] is True
    assert response.get_json()["language"]["code"] == "de-DE" and response.get_json()["matches"] == []
    # With language=auto copydesk cannot tell German from English without LanguageTool: it named
    # the text en-US and read it with its English-only checks (a "long sentence" in German). It
    # names no language it could check, as LanguageTool names Hebrew, and adds nothing.
    long_german = (
        "Der Stadtrat hat am Dienstagabend nach einer langen und zum Teil sehr hitzigen Debatte über die "
        "Finanzierung der neuen Straßenbahnlinie, die vom Hauptbahnhof bis zum Klinikum im Norden der Stadt "
        "führen soll, mit knapper Mehrheit einen Haushalt beschlossen, der Einsparungen bei der Bibliothek vorsieht."
    )
    unsure = {"text": long_german, "language": "auto", "allowIncompleteResults": "true"}
    response = client.post("/v2/check", data=unsure)
    assert response.status_code == 200 and response.get_json()["warnings"]["incompleteResults"] is True
    assert response.get_json()["language"]["code"] == "zz" and response.get_json()["matches"] == []


def test_cors_preflight_and_origins(client, dead_languagetool_app) -> None:
    preflight = {"Origin": "https://editor.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    response = client.options("/v2/check", headers=preflight)
    assert response.status_code == 204
    # The default, COPYDESK_CORS_ORIGINS=*, lets any page in (flask-cors names the page's origin).
    assert response.headers["Access-Control-Allow-Origin"] == "https://editor.example"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, POST"  # what /v2 answers
    restricted = dead_languagetool_app.test_client()
    allowed = restricted.options("/v2/check", headers={**preflight, "Origin": "https://cms.example.org"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://cms.example.org"
    refused = restricted.options("/v2/check", headers=preflight)
    assert "Access-Control-Allow-Origin" not in refused.headers
    error = restricted.post("/v2/check", data={"text": "x"}, headers={"Origin": "https://cms.example.org"})
    assert error.status_code == 400 and error.headers["Access-Control-Allow-Origin"] == "https://cms.example.org"
    assert "Access-Control-Allow-Origin" not in restricted.get("/healthz", headers=preflight).headers
    # A page reads only the headers CORS calls safe, and those exposed: the wait of a 429 or a 503,
    # and the request's id to quote.
    exposed = error.headers["Access-Control-Expose-Headers"]
    assert {name.strip().lower() for name in exposed.split(",")} == {"retry-after", "x-request-id"}


@pytest.mark.parametrize("origin", ["https://cms.example.org", "https://editor.example"])
def test_refusals_before_the_app_get_the_cors_headers_the_app_gives(app, dead_languagetool_app, origin: str) -> None:
    """service.serving refuses a body over the limit before the app runs; lt_api.cors_headers gives
    that refusal the CORS headers of the app's own answers (tests/test_reliability.py sees them on
    the wire), for any origins and for a list of them."""
    for served in (app, dead_languagetool_app):
        answer = served.test_client().post("/v2/check", data={"text": "x"}, headers={"Origin": origin})
        expected = sorted((k, v) for k, v in answer.headers.items() if k.startswith("Access-Control-") or k == "Vary")
        assert sorted(lt_api.cors_headers(served, Headers({"Origin": origin}), "POST")) == expected  # no app context
    refused = lt_api.cors_headers(dead_languagetool_app, Headers({"Origin": "https://editor.example"}), "POST")
    assert refused == [("Vary", "Origin")]


def test_every_v2_answer_varies_by_origin(client, dead_languagetool_app) -> None:
    """Whether a /v2 answer carries Access-Control-Allow-Origin depends on the request's Origin,
    with one origin configured as with a list (flask-cors says Vary: Origin for a list only): else a
    shared cache gives the answer it kept for one page (or for a client without an Origin) to another."""
    restricted = dead_languagetool_app.test_client()
    for origin in ("https://cms.example.org", "https://editor.example", None):
        headers = {"Origin": origin} if origin else {}
        for answer in (restricted.get("/v2/check?text=x", headers=headers),
                       restricted.options("/v2/check", headers={**headers, "Access-Control-Request-Method": "POST"}),
                       client.get("/v2/languages", headers=headers)):
            assert "origin" in answer.vary, (origin, answer.status_code, answer.headers)
    assert "Vary" not in restricted.get("/healthz", headers={"Origin": "https://cms.example.org"}).headers


# --------------------------------------------------------------------------------------------
# Pieces without a server: LanguageTool's rule selection, the answer for other languages
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("selection", "rule", "category", "default_on", "active"),
    [
        (RuleSelection(), "style.a", "COPYDESK_STYLE", True, True),
        (RuleSelection(), "style.a", "COPYDESK_STYLE", False, False),
        (RuleSelection(enabled_rules=frozenset({"style.a"})), "style.a", "COPYDESK_STYLE", False, True),
        (RuleSelection(disabled_rules=frozenset({"style.a"})), "style.a", "COPYDESK_STYLE", True, False),
        (RuleSelection(disabled_categories=frozenset({"COPYDESK_STYLE"})), "style.a", "COPYDESK_STYLE", True, False),
        # A switched-off category keeps a rule enabled by name (JLanguageTool.ignoreRule).
        (RuleSelection(disabled_categories=frozenset({"COPYDESK_STYLE"}), enabled_rules=frozenset({"style.a"})),
         "style.a", "COPYDESK_STYLE", True, True),
        # Enabling a category does not turn on its rules that are off by default.
        (RuleSelection(enabled_categories=frozenset({"COPYDESK_STYLE"})), "style.a", "COPYDESK_STYLE", False, False),
        (RuleSelection(enabled_categories=frozenset({"COPYDESK_STYLE"}), enabled_only=True),
         "style.a", "COPYDESK_STYLE", True, True),
        (RuleSelection(enabled_categories=frozenset({"COPYDESK_STYLE"}), enabled_only=True),
         "clickbait.a", "COPYDESK_CLICKBAIT", True, False),
        (RuleSelection(enabled_rules=frozenset({"style.b"}), enabled_only=True), "style.a", "COPYDESK_STYLE", True,
         False),
        # enabledOnly with rules and categories: only the rules named stay (Tools.selectRules).
        (RuleSelection(enabled_rules=frozenset({"style.b"}), enabled_categories=frozenset({"COPYDESK_STYLE"}),
                       enabled_only=True), "style.a", "COPYDESK_STYLE", True, False),
    ],
)
def test_rule_selection_follows_languagetool(
    selection: RuleSelection, rule: str, category: str, default_on: bool, active: bool
) -> None:
    assert selection.is_active(rule, category, default_on) is active


def test_category_ids_are_per_pack_and_never_languagetools() -> None:
    assert category_id("style.in-order-to") == "COPYDESK_STYLE"
    assert category_id("house-style.x") == "COPYDESK_HOUSE_STYLE"
    assert category_id("readability.hard-sentence") == "COPYDESK_READABILITY"


def _finding(rule_id: str, offset: int, length: int, check: str = "phrasing") -> Finding:
    return Finding(check=check, rule_id=rule_id, description="d", category="translationese",  # type: ignore[arg-type]
                   source="copydesk:translationese", severity="warning", message="m", offset=offset, length=length)


@pytest.mark.parametrize(
    ("severity", "category", "expected"),
    [("error", "house-style", "grammar"), ("warning", "usage", "grammar"), ("warning", "translationese", "grammar"),
     ("warning", "wordiness", "style"), ("suggestion", "usage", "style")],
)
def test_a_copydesk_match_is_grammar_for_an_error_or_a_wrong_usage_at_warning_level(
    severity: str, category: str, expected: str
) -> None:
    """``rule.issueType`` as the README gives it: an error (a pack of your own may set that severity)
    and a wrong usage or calque at warning level are grammar, the rest is style."""
    text = "Talks went on amidst the protests."
    document = Document(text=text, options=CheckOptions(languagetool=(("language", "en-US"),)))
    request = CheckRequest(document, ("grammar", "phrasing"), RuleSelection(), "en-US")
    english = {"software": {}, "warnings": {"incompleteResults": False},
               "language": {"name": "English (US)", "code": "en-US", "detectedLanguage": {}}}
    finding = replace(_finding("house.amidst", 14, 6), severity=severity, category=category)
    run = CheckRun(["grammar", "phrasing"], {"grammar": SectionResult([], 100.0, native=english),
                                             "phrasing": SectionResult([finding], 90.0)})
    [match] = languagetool_answer(request, run, None, "6.8")["matches"]
    assert match["rule"]["issueType"] == expected
    assert "urls" not in match["rule"]
    linked = replace(finding, link="https://style.example/amidst")
    run.results["phrasing"] = SectionResult([linked], 90.0)
    [match] = languagetool_answer(request, run, None, "6.8")["matches"]
    assert match["rule"]["urls"] == [{"value": "https://style.example/amidst"}]


def test_copydesk_adds_nothing_when_languagetool_checked_another_language() -> None:
    text = "Putin left Jinping till the car."
    document = Document(text=text, options=CheckOptions(languagetool=(("language", "auto"),)))
    request = CheckRequest(document, ("grammar", "phrasing"), RuleSelection(), "auto")
    german = {"software": {}, "warnings": {"incompleteResults": False},
              "language": {"name": "German", "code": "de-DE", "detectedLanguage": {"name": "German", "code": "de-DE"}}}
    phrasing = SectionResult([_finding("translationese.till-place", 6, 25)], 50.0)
    run = CheckRun(["grammar", "phrasing"], {"grammar": SectionResult([], 100.0, native=german), "phrasing": phrasing})
    assert languagetool_answer(request, run, None, "6.8")["matches"] == []
    english = {**german, "language": {"name": "English (US)", "code": "en-US", "detectedLanguage": {}}}
    run.results["grammar"] = SectionResult([], 100.0, native=english)
    assert [m["rule"]["id"] for m in languagetool_answer(request, run, None, "6.8")["matches"]] == [
        "translationese.till-place"
    ]


def test_a_languagetool_match_found_in_a_piece_of_the_text_gets_its_span_in_the_whole_text(
    languagetool_url: str,
) -> None:
    """A grammar finding from a piece of the text (a paragraph checked on its own, or one from the
    paragraph cache) keeps LanguageTool's match as LanguageTool wrote it for that piece: the answer
    takes the span from the finding, in UTF-16 units of the whole text, not the piece's offset."""
    piece = "😀 He go home."
    text = "A first paragraph stands here.\n\n" + piece
    raw = raw_check(languagetool_url, {"text": piece, "language": "en-US"})
    assert [span16(piece, m) for m in raw["matches"]] == ["go"]
    finding = GrammarCheck._finding(raw["matches"][0], Utf16Index(piece), text.index(piece), keep_native=True)
    document = Document(text=text, options=CheckOptions(languagetool=(("language", "en-US"),)))
    request = CheckRequest(document, ("grammar",), RuleSelection(), "en-US")
    native = {key: value for key, value in raw.items() if key != "matches"}
    run = CheckRun(["grammar"], {"grammar": SectionResult([finding], 90.0, native=native)})
    [match] = languagetool_answer(request, run, None, "6.8")["matches"]
    assert span16(text, match) == "go"
    assert match["rule"] == raw["matches"][0]["rule"]


def test_with_languagetool_down_the_answer_names_the_language_from_its_list() -> None:
    """When LanguageTool did not answer the check but its list of languages is known, the language
    section copydesk writes in its place names the language as LanguageTool does."""
    text = "Putin left Jinping till the car."
    document = Document(text=text, options=CheckOptions(languagetool=(("language", "en-us"),)))
    request = CheckRequest(document, ("grammar", "phrasing"), RuleSelection(), "en-us")
    phrasing = SectionResult([_finding("translationese.till-place", 6, 25)], 50.0)
    run = CheckRun(["grammar", "phrasing"], {"phrasing": phrasing}, unavailable={"grammar": "not answering"})
    languages = [{"name": "English (US)", "code": "en", "longCode": "en-US"}]
    answer = languagetool_answer(request, run, languages, "6.8")
    assert (answer["language"]["name"], answer["language"]["code"]) == ("English (US)", "en-US")
    assert answer["software"]["version"] == "6.8" and answer["warnings"]["incompleteResults"] is True
    assert [m["rule"]["id"] for m in answer["matches"]] == ["translationese.till-place"]


def test_annotated_document_keeps_offsets_and_block_breaks() -> None:
    parts = (Annotated("<h1>", True), Annotated("Title"), Annotated("</h1><p>", True, "\n\n"), Annotated("Body."))
    document = annotated_document(parts, "en-US", CheckOptions())
    assert document.original == "<h1>Title</h1><p>Body."
    assert len(document.text) == len(document.original)
    assert document.text.index("Body.") == document.original.index("Body.")
    assert document.headline is not None and document.headline.text == "Title"


def test_an_annotations_markup_inside_a_word_joins_it() -> None:
    """A client's markup that reads as nothing between two letters ("**foo**bar", as LTeX sends
    Markdown) is one word to LanguageTool; the view blanked it, so copydesk's own checks read two
    words. Markup between words, or read as something, still blanks."""
    parts = (
        Annotated("The "), Annotated("**", True), Annotated("cafe"), Annotated("**", True), Annotated("s closed"),
        Annotated("<i>", True, " "), Annotated("today, "), Annotated("<br>", True, "\n"), Annotated("they said."),
    )
    document = annotated_document(parts, "en-US", CheckOptions())
    assert segments.as_shown(document.text) == "The cafes closed today, they said."
    assert segments.word_count(document.text) == 6
    assert len(document.text) == len(document.original)


def test_a_multipart_form_takes_fields_as_large_as_a_url_encoded_one(client) -> None:
    """LanguageTool's clients may post a form as multipart. Flask holds a multipart field to
    500 KB of its own, so annotated text with much markup (a `data` field of 600 KB) got
    Werkzeug's 413 as multipart and a check as url-encoded; both bodies have the same limit now."""
    markup = "<div class='" + "x" * 600_000 + "'>"
    data = json.dumps({"annotation": [{"markup": markup}, {"text": f"Putin {TILL} after the meeting."},
                                      {"markup": "</div>"}]})
    encoded = copydesk_check(client, {"language": "en-US", "data": data})
    # Encoded here: the test client spools a multipart body this large to a file it does not close.
    body, content_type = encode_multipart_formdata({"language": "en-US", "data": data})
    multipart = client.post("/v2/check", data=body, content_type=content_type)
    assert multipart.status_code == 200, multipart.get_data(as_text=True)
    assert multipart.get_json()["matches"] == encoded["matches"] != []
