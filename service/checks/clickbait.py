"""Clickbait: the trained headline model plus the ``clickbait`` rule packs, in one section.

The model scores the document's headline (``Document.headline``: the title, or the text's
first line or sentence when no title is sent, unless that is prose or a greeting) and every body line
that stands as a headline ("Read Also:" lists, teaser lines; ``Document.headline_spans``, where a
question the next paragraph answers is none) but a line of page furniture, which a boilerplate
rule supersedes. Its verdicts become findings like the pattern ones, so a client sees
one list of located issues; the section score combines both.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ClassVar, Protocol

from ..findings import Document, Finding, Headline, SectionResult, density_score
from ..headline_model.features import SHAPE_PREFIX, UNKNOWN
from ..rulebook.book import Coverage, RuleBook
from ..text import segments
from ..text.memo import remembered
from . import unsuppressed
from .phrasing import rule_findings

# Score decay for pattern findings: 1 severity point per 100 words gives 100/e (about 37).
SCORE_SCALE = 1.0
MAX_BODY_HEADLINES = 50
# Body lines shorter than this are section labels ("The verdict"), not headlines, and the corpus
# has almost no headlines that short (0.4 % under four words) for the model to judge them by.
MIN_BODY_HEADLINE_WORDS = 4
EXPLANATION_TERMS = 5
# A finding's message quotes the terms that pushed the headline towards clickbait by at least
# this much log-odds (the term alone multiplies the odds by e): "'the' +0.49" is no cue to an
# editor, and a term that pulled towards news ("'after' -0.42" on the seed) is none at all.
MESSAGE_CUE_WEIGHT = 1.0
# The rule id of the model's findings (the packs' rules are "<pack>.<name>" too).
MODEL_RULE_ID = "clickbait.model"


# The check keeps the probabilities of COPYDESK_MEMO_ENTRIES headlines (a few dozen bytes each)
# of up to this many code points.
HEADLINE_KEPT_CHARS = 1000


class HeadlineModel(Protocol):
    version: str

    def probability(self, headline: str) -> float: ...

    def probabilities(self, headlines: list[str]) -> list[float]: ...

    def explain(self, headline: str, top: int = 5) -> list[dict[str, Any]]: ...


def body_headlines(
    document: Document, superseded: Callable[[], Coverage] | None = None, main: Headline | None = None
) -> list[Headline]:
    """The standalone headline lines of the text other than the document's headline (and
    ``main``, the one judged in its place after page furniture), long enough for the model to
    judge (see MIN_BODY_HEADLINE_WORDS), and not inside a finding that supersedes the model's: a
    line of page furniture is no headline. ``superseded`` tells where those findings stand
    (``RuleBook.covers``); it is asked once, at the first line to judge, so a text without one
    does not pay for it."""
    skip = {h.offset for h in (document.headline, main) if h is not None and h.field == "text"}
    found = []
    coverage: Coverage | None = None
    for span in document.headline_spans:
        line = span.of(document.text)
        if span.start in skip or segments.word_count(line) < MIN_BODY_HEADLINE_WORDS:
            continue
        if superseded is not None:
            coverage = superseded() if coverage is None else coverage
            if coverage and _words_inside(line, span.start, coverage):
                continue
        found.append(Headline(document.as_shown(line), span.start, "text", "body_line", len(line)))
        if len(found) == MAX_BODY_HEADLINES:
            break
    return found


# A probability is shown to this many decimals, and compared with the threshold as shown: one
# shown as 0.5357 with a threshold of 0.5357 is at it, so clickbait ("at or above").
PROBABILITY_DIGITS = 4


def _flagged(probability: float, threshold: float) -> bool:
    return round(probability, PROBABILITY_DIGITS) >= threshold


def _quotable(term: dict[str, Any]) -> bool:
    """Whether a message quotes an explanation's term: one the model read as its own words (a cue,
    a word n-gram). A sentence shape ("_ just _ed") or an n-gram with a name in it ("<w> just")
    is quoted by the words it covers ("Gomez just revealed"), and an editor would read the name
    as the cue."""
    return any(not feature.startswith(SHAPE_PREFIX) and UNKNOWN not in feature for feature in term["features"])


def _lead_is_furniture(document: Document, headline: Headline, superseded: Callable[[], Coverage]) -> bool:
    """Whether ``headline`` stands in for a title the client did not send (the text's first line
    or sentence, or the markup's first heading) and is a line of page furniture ("Advertisement"
    above a scraped story, a photo gallery's "Gallery: ... | 14 Photos" heading): the headline
    is then the lead after it. A title sent is the client's word."""
    if headline.source not in ("first_line", "first_sentence") and not document.title_from_markup:
        return False
    coverage = superseded()
    line = document.text[headline.offset : headline.offset + headline.covers]
    return bool(coverage) and _words_inside(line, headline.offset, coverage)


def _words_inside(line: str, start: int, coverage: Coverage) -> bool:
    """Whether the line's words, from the first to the last, lie inside one covering span (the
    punctuation around them, as the "!" of "Follow us for more updates!", does not count)."""
    words = segments.words(line)
    return bool(words) and coverage.contains(start + words[0].start, start + words[-1].end)


class ClickbaitCheck:
    name: ClassVar[str] = "clickbait"

    def __init__(self, book: RuleBook, model: HeadlineModel, threshold: float) -> None:
        self.book = book
        self.model = model
        self.threshold = threshold  # Settings.clickbait_threshold: "clickbait" at or above it
        # The same article comes back while it is edited: its headlines' scores are kept.
        self._probability = remembered(HEADLINE_KEPT_CHARS)(model.probability)

    def threshold_for(self, requested: float | None) -> float:
        """The request's own threshold (``clickbait_threshold``, or ``threshold`` on
        ``/v1/clickbait``), else the service's."""
        return self.threshold if requested is None else requested

    def headline_findings(
        self, headlines: list[Headline], probabilities: list[float], threshold: float
    ) -> list[Finding]:
        findings = []
        for headline, probability in zip(headlines, probabilities, strict=True):
            if not _flagged(probability, threshold):
                continue
            explanation = self.model.explain(headline.text, EXPLANATION_TERMS)
            cues = [term["term"] for term in explanation if term["weight"] >= MESSAGE_CUE_WEIGHT and _quotable(term)]
            cue_text = f"; strongest cues: {', '.join(repr(c) for c in cues)}" if cues else ""
            findings.append(
                Finding(
                    check="clickbait",
                    rule_id=MODEL_RULE_ID,
                    description="Headline reads as clickbait to the trained model",
                    category="clickbait",
                    source="copydesk:model",
                    severity="warning",
                    message=(
                        f"This headline reads as clickbait (probability {probability:.2f}){cue_text}. "
                        "Say what happened instead of teasing it."
                    ),
                    offset=headline.offset,
                    length=headline.covers,
                    field=headline.field,  # type: ignore[arg-type]
                    extra={"probability": round(probability, PROBABILITY_DIGITS)},
                )
            )
        return findings

    def score_headlines(self, headlines: list[str], threshold: float | None = None) -> list[dict[str, Any]]:
        """Headline-only scoring (``POST /v1/clickbait``): no text, no LanguageTool."""
        threshold = self.threshold_for(threshold)
        probabilities = self.model.probabilities(headlines)
        return [self._verdict(text, p, threshold) for text, p in zip(headlines, probabilities, strict=True)]

    def _verdict(self, text: str, probability: float, threshold: float) -> dict[str, Any]:
        return {
            "text": text,
            "probability": round(probability, PROBABILITY_DIGITS),
            "label": "clickbait" if _flagged(probability, threshold) else "not_clickbait",
            "explanation": self.model.explain(text, EXPLANATION_TERMS),
        }

    def run(self, document: Document) -> SectionResult:
        pattern_findings = rule_findings(self.book, document, "clickbait")
        options = document.options

        @functools.cache
        def superseded() -> Coverage:
            return self.book.covers(document, MODEL_RULE_ID, self.name, enable=options.enable, disable=options.disable)

        headline = document.headline
        while headline is not None and _lead_is_furniture(document, headline, superseded):
            # The headline is the lead after the furniture: without it, a line of furniture put
            # first left the text without a headline, and its clickbait out of the score.
            headline = document.lead_after(headline.offset + headline.covers)
        headlines = ([headline] if headline else []) + body_headlines(document, superseded, headline)
        probabilities = [self._probability(h.text) for h in headlines]
        threshold = self.threshold_for(document.options.clickbait_threshold)
        model_findings = unsuppressed(self.headline_findings(headlines, probabilities, threshold), document)

        pattern_score = density_score(pattern_findings, document.word_count, SCORE_SCALE)
        headline_probability = probabilities[0] if headline else 0.0
        first_body = 1 if headline else 0
        details: dict[str, Any] = {
            "pattern_score": pattern_score,
            "headline": (
                {**self._verdict(headline.text, headline_probability, threshold), "source": headline.source}
                if headline
                else None
            ),
            "body_headlines": [
                {"offset": h.offset, **self._verdict(h.text, p, threshold)}
                for h, p in zip(headlines[first_body:], probabilities[first_body:], strict=True)
            ],
            "model_version": self.model.version,
            "threshold": threshold,
        }
        score = round(pattern_score * (1.0 - headline_probability), 1)
        return SectionResult(findings=pattern_findings + model_findings, score=score, details=details)
