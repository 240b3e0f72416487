"""The packaged clickbait model: its API, its verdicts on known headlines, and that it is what the
training script produces (same feature code, canonical bytes, deterministic training).

Nothing here reads the training corpus; the determinism test trains on a synthetic one.
"""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from service.headline_model import features as ft
from service.headline_model.model import ClickbaitModel, ModelFormatError, encode_model, load_default_model
from service.settings import Settings

REPO = Path(__file__).resolve().parent.parent
THRESHOLD = Settings.load(environ={}).clickbait_threshold  # the service's default

SEED = "Welcomed warmly, Putin left Jinping till the car, know the meaning after the meeting"
CLICKBAIT = [
    SEED,
    "Stephen Smith Autopsy Report, What Happened With Him? How Did He Die?",
    "You won't believe what this dog did when his owner came home",
    "21 things only people who grew up in the 90s will understand",
    "This simple trick will change the way you cook rice forever",
]
# Written for these tests; none comes from the training corpus.
NEWS = [
    "Xi Jinping meets Putin in Moscow for talks on Ukraine",
    "Central bank raises interest rates by a quarter point",
    "Flooding closes schools across northern England",
    "Parliament approves budget after overnight debate",
    "Rail operator cancels evening services as storm approaches",
    "Court orders retrial in decade-old fraud case",
    "Dockworkers end three-week strike after pay deal",
    "Regional elections postponed over security concerns",
    "Drought cuts coffee harvest in Brazil by a fifth",
    "Hospital trust appoints new chief executive",
    "Police seize 200 kg of cocaine at Rotterdam port",
    "Government unveils plan to expand offshore wind farms",
]
CASE_CHANGES = {
    "lower": str.lower,
    "upper": str.upper,
    "title": lambda s: " ".join(w[:1].upper() + w[1:].lower() for w in s.split(" ")),
    "sentence": lambda s: s[:1].upper() + s[1:].lower(),
}


@pytest.fixture(scope="module")
def model() -> ClickbaitModel:
    return load_default_model()


def packaged_bytes() -> bytes:
    return resources.files("service.headline_model").joinpath("model.json.gz").read_bytes()


def test_default_model_loads_from_the_package_once(model: ClickbaitModel) -> None:
    assert load_default_model() is model
    assert model.version == ClickbaitModel.from_bytes(packaged_bytes()).version
    assert len(model.version) == 12 and int(model.version, 16) >= 0
    assert len(packaged_bytes()) <= 5_000_000


def test_seed_and_teaser_headlines_are_clickbait(model: ClickbaitModel) -> None:
    for headline in CLICKBAIT:
        assert model.probability(headline) >= THRESHOLD, headline


def test_plain_news_headlines_are_not_clickbait(model: ClickbaitModel) -> None:
    for headline in NEWS:
        assert model.probability(headline) < THRESHOLD, headline


def test_probabilities_are_within_0_and_1_for_odd_input(model: ClickbaitModel) -> None:
    odd = ["", "   ", "?!", "2024", "é", "\U0001f631\U0001f631\U0001f631", "a " * 500, "you " * 300, "U.S."]
    for headline in odd + CLICKBAIT + NEWS:
        assert 0.0 <= model.probability(headline) <= 1.0


def test_digits_that_int_refuses_do_not_crash_the_features(model: ClickbaitModel) -> None:
    # str.isdigit() accepts superscripts and circled digits ("8²", "①") that int() refuses; int()
    # also refuses decimal strings past 4,300 digits. Every such character, in every position.
    odd_digits = [chr(c) for c in range(0x110000) if chr(c).isdigit() and not chr(c).isdecimal()]
    assert "\u00b2" in odd_digits and len(odd_digits) > 100
    for digit in odd_digits:
        for headline in (f"8{digit} things you missed", f"{digit} things", f"{digit}8 ways", f"x{digit} y"):
            assert 0.0 <= model.probability(headline) <= 1.0, headline
            model.explain(headline)
    assert model.probability("9" * 5000 + " things you missed") > 0.0
    list_cue = {"cue:list_number"}
    assert list_cue <= ft.features_of("21 things you missed", model.words, model.config).cues
    assert not list_cue & ft.features_of("8\u00b2 things you missed", model.words, model.config).cues
    assert not list_cue & ft.features_of("2019 things", model.words, model.config).cues


def test_batch_scoring_equals_single_scoring(model: ClickbaitModel) -> None:
    headlines = CLICKBAIT + NEWS + [""]
    assert model.probabilities(headlines) == [model.probability(h) for h in headlines]
    assert model.probabilities([]) == []
    assert model.probabilities(tuple(headlines)) == model.probabilities(headlines)


def test_case_changes_do_not_change_scores(model: ClickbaitModel) -> None:
    for headline in CLICKBAIT + NEWS:
        probability = model.probability(headline)
        for name, change in CASE_CHANGES.items():
            changed = model.probability(change(headline))
            assert changed == pytest.approx(probability, abs=1e-12), (name, headline)


def test_explain_quotes_the_headline(model: ClickbaitModel) -> None:
    for headline in CLICKBAIT + NEWS:
        terms = model.explain(headline, top=5)
        assert 0 < len(terms) <= 5
        for term in terms:
            assert set(term) == {"term", "weight", "features"}
            assert term["term"] and term["term"] in headline
            assert isinstance(term["weight"], float) and term["weight"] != 0
        signs = [t["weight"] < 0 for t in terms]
        assert signs == sorted(signs)  # towards clickbait first
    seed_terms = model.explain(SEED)
    assert seed_terms[0]["weight"] > 0
    assert seed_terms[0]["term"].lower().startswith("know")  # "know the meaning": a teaser, not a topic
    assert model.explain(SEED, top=0) == []
    assert model.explain("") == []


def test_a_form_only_explanation_is_what_reading_every_feature_gives(model: ClickbaitModel) -> None:
    """Form-only explanations skip extracting character n-grams and statistics: never quoted there."""
    everything = ClickbaitModel.from_bytes(packaged_bytes())
    everything._form_config = everything.config  # read every feature, as before the shortcut
    for headline in CLICKBAIT + NEWS + SANITY_LIKE + [SEED, "", "?!"]:
        assert model.explain(headline, top=8) == everything.explain(headline, top=8), headline


# Headlines whose topic words pulled the old model's explanation ("car", "left" for the seed).
TOPIC_WORDS = {SEED: {"car", "left", "meeting", "putin", "jinping"}, NEWS[1]: {"bank", "interest", "rates"}}


def test_explanations_quote_form_cues_not_topic_words(model: ClickbaitModel) -> None:
    for headline in CLICKBAIT + NEWS:
        for term in model.explain(headline, top=5):
            assert all(ft.is_form_feature(name) for name in term["features"]), (headline, term)
    for headline, topic in TOPIC_WORDS.items():
        everything = {t["term"].casefold() for t in model.explain(headline, top=5, form_only=False)}
        assert everything & topic, headline  # the topic words do move the score ...
        shown = {t["term"].casefold() for t in model.explain(headline, top=5)}
        assert not shown & topic, headline  # ... but are not what the service quotes
    seed = model.explain(SEED, top=5)
    assert not {t["term"].lower() for t in seed} & {"car", "left", "the car"}
    assert [t["term"].lower() for t in seed if t["weight"] > 0][:2] == ["know the", "know"]


def test_form_features_are_told_apart_from_topic_words() -> None:
    assert ft.is_form_feature("cue:teaser") and ft.is_form_feature("shape:<s> _ _s")
    assert ft.is_form_feature("know the") and ft.is_form_feature("you") and ft.is_form_feature("<s> what")
    assert not ft.is_form_feature("car") and not ft.is_form_feature("the car")
    assert not ft.is_form_feature("<s> <w>") and not ft.is_form_feature("char:<car")
    assert not ft.is_form_feature("stat:words=9")


def _by_the_weights(model: ClickbaitModel, headline: str) -> float:
    """The score spelled out: each feature's value times its weight, the naive-Bayes weight of each
    feature present, and the mean word-vector score."""
    values = ft.vectorise(headline, model.words, model.config)
    dot = model.intercept + sum(
        model.weights.get(name, 0.0) * value + model.presence_weights.get(name, 0.0) for name, value in values.items()
    )
    scored = [model.word_scores[t] for t in ft.words_of(headline, model.config.quotations) if t in model.word_scores]
    return dot + (sum(scored) / len(scored) if scored else 0.0)


# Headlines that walk the corners of the compiled scorer (written for this test): clause breaks of
# every kind and at the edges, dashes that are and are not breaks, whitespace other than spaces,
# repeated words, cue words across a clause break, numbers and acronyms, long clauses.
CORNERS = [
    "Is this the best best best burger ever?",
    "",
    "2019",
    "?!",
    " - ",
    "- Here is why -",
    "Here is why \u2014 and how",
    "Here is why\u2014and how",
    "Budget cut - what it means -",
    "the the the the the",
    "You need: to know this",
    "You need to know. This week",
    "Look at this",
    "This week in pictures",
    "These photos, here's what they show",
    "21 things (you missed)",
    "(21 things you missed)",
    "21st century things",
    "1,100 evacuated as river bursts its banks",
    "8\u00b2 things you missed",
    "U.S. and U.K. agree G.M. deal",
    "She said he said: they said",
    "Her secret? His truth!",
    "Wait till you see what happens next...",
    "The real reason the internet is obsessed",
    "Tabs\tand\nnewlines\u3000and\u00a0no-break spaces",
    "don\u2019t miss what\u2019s next, it\u2019s here",
    "Putin\u2019s car; Jinping\u2019s reply | Xi [video]",
    "\ufdfa prayer times announced",
    "a " * 80 + "end",
    " ".join(f"word{i}" for i in range(100)),
    "You you: you? this year, this photo",
]


def test_the_compiled_scorer_equals_the_definition(model: ClickbaitModel) -> None:
    # decision() scores from tables folded at load time; it must equal the weights times the values.
    headlines = CLICKBAIT + NEWS + list(ft.PROBE_HEADLINES) + CORNERS + SANITY_LIKE
    headlines += [change(h) for h in headlines for change in CASE_CHANGES.values()]
    for headline in headlines:
        expected = _by_the_weights(model, headline)
        assert model.decision_by_definition(headline) == pytest.approx(expected, abs=1e-9), headline
        assert model.decision(headline) == pytest.approx(expected, abs=1e-9), headline
    assert any(name.startswith(ft.CHAR_PREFIX) for name in model.weights)
    assert any(name.startswith(ft.STAT_PREFIX) for name in model.weights)


def shuffled(pieces: list[str], seed: int, longest: int) -> Iterator[str]:
    """600 headlines assembled at random (seeded) from pieces, each followed by a space or not."""
    rng = random.Random(seed)
    for _ in range(600):
        words = rng.choices(pieces, k=rng.randint(1, longest))
        yield "".join(w + rng.choice((" ", " ", " ", "")) for w in words)


def test_the_compiled_scorer_equals_the_definition_on_shuffled_pieces(model: ClickbaitModel) -> None:
    # Headlines assembled from pieces the scorer treats differently.
    pieces = (
        "the a of you your this these here here's what how why is are will can know need find out "
        "never wait till week year photo reason truth internet people 21 200 201 1970s 3.5 U.S. "
        "Zyxwv Qwerty amazing shocking secret she her they men women won't can't it's , : ; ? ! . - "
        "\u2014 ( ) [ ] | ... \u2019s running tallest quickly baker cats"
    ).split()
    for headline in shuffled(pieces, seed=16, longest=18):
        assert model.decision(headline) == pytest.approx(model.decision_by_definition(headline), abs=1e-9), headline


def test_a_model_the_scorer_cannot_fold_is_scored_by_the_definition() -> None:
    spec = json.loads(gzip.decompress(packaged_bytes()))
    spec["feature_config"]["ngram_max"] = 3  # word trigrams: not folded
    unfolded = ClickbaitModel(spec)
    assert unfolded._compiled is None
    for headline in CLICKBAIT + NEWS:
        assert unfolded.decision(headline) == unfolded.decision_by_definition(headline)
        assert unfolded.probabilities([headline]) == [unfolded.probability(headline)]


# Headlines that quote (written for these tests), and the marks around quotations that are not one.
QUOTING = [
    "Gates on Tillerson and Russia: 'You can be friendly without being friends'",
    "Obama to Muslims: \u2018Americans are not your enemy\u2019",
    'The "Me Versus You" Meme Was Too Perfect For Words',
    "\u201cI feel nauseous\u201d: students fearful after the speech",
    "'Your only right is to obey': lawyer describes torture",
    '"25 Cities Where Your Paycheck Stretches The Farthest"',
    "Parents' group slams 'unfair' rules, can't agree",
    'He said "hi" and "bye"-then left - "really"',
    "O'Neill's '80s hits: 'rock' and roll",
    'An unclosed "quote, and a \ue000 in the text',
    "Why 'know the' \u2014 'you' said? \u201cwhat\u201d",
    "  '  spaced ' 'x' ",
    '"" "so" "so" "so" ',  # the first and last marks are left over and must not pair once the rest are found
    "\ue000 stands in for a quotation here",  # the stand-in, brought by the text without quotation marks
]


@pytest.fixture(scope="module")
def plain_model() -> ClickbaitModel:
    """The shipped weights read with quotations off, as model files from before them are: not a
    trained model, but both scorers must agree on it."""
    spec = json.loads(gzip.decompress(packaged_bytes()))
    spec["feature_config"]["quotations"] = 0
    return ClickbaitModel(spec)


def test_with_quotations_on_a_quotation_is_one_token(model: ClickbaitModel) -> None:
    assert model.config.quotations == 1  # the shipped model reads them
    headline = QUOTING[0]
    assert ft.words_of(headline, 1) == ["gates", "on", "tillerson", "and", "russia", ft.QUOTE]
    assert ft.clauses(headline, 1)[-1] == [(ft.QUOTE, headline.index("'"), len(headline))]
    # Off, the quoted words are words like any other.
    assert ft.words_of(headline)[-7:] == ["you", "can", "be", "friendly", "without", "being", "friends"]
    on, off = ft.FeatureConfig(quotations=1), ft.FeatureConfig(quotations=0)
    assert "cue:second_person" in ft.features_of(headline, frozenset(), off).cues
    assert not ft.features_of(headline, frozenset(), on).cues
    # Apostrophes are not quotation marks; a mark that opens nothing is no token.
    assert ft.words_of(QUOTING[6], 1) == ["parents", "group", "slams", ft.QUOTE, "rules", "can't", "agree"]
    assert ft.words_of(QUOTING[8], 1) == ["o'neill", ft.NUM, "hits", ft.QUOTE, "and", "roll"]
    assert ft.words_of(QUOTING[9], 1) == ["an", "unclosed", "quote", "and", "a", ft.QUOTE, "in", "the", "text"]
    # A headline that is one quotation is read by its own words.
    assert ft.words_of(QUOTING[5], 1) == ft.words_of(QUOTING[5]) == ft.words_of(QUOTING[5].strip('"'))


def test_the_statistics_count_the_words_of_a_quotation() -> None:
    """How long a headline is, and how it is built, is read as written: a quotation is one token
    for the word n-grams and cues, but its words count in the statistics."""
    on, off = ft.FeatureConfig(quotations=1), ft.FeatureConfig(quotations=0)
    vocabulary = frozenset("mayor on budget will see lower taxes you".split())
    for headline in QUOTING + ["Mayor on budget: 'You will see lower taxes'"]:
        assert ft.features_of(headline, vocabulary, on).stats == ft.features_of(headline, vocabulary, off).stats
        spans = [name for name, _, _ in ft.extract(headline, vocabulary, on) if name.startswith(ft.STAT_PREFIX)]
        assert spans == ft.features_of(headline, vocabulary, on).stats, headline
    quoting = ft.features_of("Mayor on budget: 'You will see lower taxes'", vocabulary, on)
    assert f"{ft.STAT_PREFIX}words=8" in quoting.stats


def test_headlines_without_quotations_are_read_once() -> None:
    """The statistics' second reading (quotations off) is for headlines that have a quotation;
    a name reused in ``decision`` once sent every headline through it."""
    fresh = ClickbaitModel.from_bytes(packaged_bytes())
    fresh.probabilities(NEWS + CLICKBAIT + ["It's the council's plan, O'Neill says"])
    assert fresh._compiled is not None and not fresh._compiled.plain_chunks
    fresh.probability(QUOTING[0])
    assert fresh._compiled.plain_chunks


def test_model_files_from_before_quotations_read_without_them() -> None:
    old = ft.FeatureConfig(quotations=0).to_dict()
    assert "quotations" not in old and ft.FeatureConfig.from_dict(old).quotations == 0
    assert ft.FeatureConfig().to_dict()["quotations"] == 1
    assert ft.FeatureConfig.from_dict(ft.FeatureConfig().to_dict()) == ft.FeatureConfig()


@pytest.mark.parametrize("reading", ["quotations", "plain"])
def test_either_reading_of_quotations_scores_the_same_compiled_and_by_definition(
    reading: str, model: ClickbaitModel, plain_model: ClickbaitModel
) -> None:
    scored = model if reading == "quotations" else plain_model
    assert scored._compiled is not None
    for headline in QUOTING + CORNERS + CLICKBAIT + NEWS:
        expected = _by_the_weights(scored, headline)
        assert scored.decision_by_definition(headline) == pytest.approx(expected, abs=1e-9), headline
        assert scored.decision(headline) == pytest.approx(expected, abs=1e-9), headline
    assert model.decision(QUOTING[0]) != pytest.approx(plain_model.decision(QUOTING[0]), abs=0.1)
    pieces = (
        "you your know the what 21 can't parents' O'Neill 'hi' 'so \"so\" \" ' \u2018 \u2019 \u201c \u201d "
        "\ue000 : , - \u2014 ? ( ) this here"
    ).split()
    for headline in shuffled(pieces, seed=17, longest=16):
        expected = scored.decision_by_definition(headline)
        assert scored.decision(headline) == pytest.approx(expected, abs=1e-9), headline


@pytest.mark.parametrize("unit", ["'a ", "\u201ca ", '"a ', "\u2018a\u2019a ", "a'b '", "' '"])
def test_quotations_are_found_in_linear_time_on_hostile_input(unit: str) -> None:
    """8 times the input must take far less than 64 times as long (quadratic); linear is about 8.
    The fastest of three runs counts, in CPU time, so a busy machine does not decide."""
    import time

    def best(chars: int) -> float:
        text = unit * (chars // len(unit))
        times = []
        for _ in range(3):
            started = time.thread_time()
            ft.clauses(text, 1)
            ft.quotations_marked(text)
            times.append(time.thread_time() - started)
        return min(times)

    small, large = best(12_000), best(96_000)
    assert large < 24 * max(small, 1e-3), (small, large)


def test_the_chunk_and_word_caches_are_bounded(memos_sized) -> None:
    from service.headline_model import compiled

    for entries in (1, 0):
        memos_sized(entries)
        fresh = ClickbaitModel.from_bytes(packaged_bytes())
        kept = compiled.CHUNK_MEMO_SCALE * entries
        for headline in [*CLICKBAIT, *NEWS, "Why " + "x" * (ft.MEMO_MAX_WORD + 1) + " matters"]:
            assert fresh.decision(headline) == pytest.approx(fresh.decision_by_definition(headline), abs=1e-9)
            assert len(fresh._compiled.chunks) <= kept and len(fresh._compiled.tokens) <= kept
            assert all(len(key) <= ft.MEMO_MAX_WORD for key in [*fresh._compiled.chunks, *fresh._compiled.tokens])


def test_the_fast_feature_path_makes_the_names_the_spans_path_makes(model: ClickbaitModel) -> None:
    # features_of() (scoring) and extract() (explanations, training) are two implementations.
    odd = ["", "?!", "2024 things", "Here here here", "You you: you? this year, this photo", "a " * 50]
    for headline in CLICKBAIT + NEWS + list(ft.PROBE_HEADLINES) + odd + SANITY_LIKE:
        for change in (lambda s: s, *CASE_CHANGES.values()):
            text = change(headline)
            found = ft.features_of(text, model.words, model.config)
            extracted = ft.extract(text, model.words, model.config)
            assert found.cues == {n for n, _, _ in extracted if n.startswith(ft.CUE_PREFIX)}, text
            assert found.plain == {
                n for n, _, _ in extracted if not n.startswith((ft.CUE_PREFIX, ft.CHAR_PREFIX, ft.STAT_PREFIX))
            }, text


# More shapes of headline for the test above (written for it).
SANITY_LIKE = [
    "Why you should never charge your phone overnight",
    "This is what your handwriting says about you",
    "Wait until you see what this artist does with old newspapers",
    "Will the Fed cut rates in March? Economists are divided",
    "10 signs you're smarter than you think",
    "She quit her job - and then this happened",
    "Here are the 7 best memes of the week (you'll laugh)",
]


def test_the_word_vector_channel_adds_the_mean_score_of_the_scored_words(model: ClickbaitModel) -> None:
    assert len(model.word_scores) > 10_000  # distilled for corpus words and common English words alike
    assert model.word_vector_score([]) == 0.0
    assert model.word_vector_score(["<num>", "zzzqqq"]) == 0.0  # nothing scored: no contribution
    scored = [word for word in ("amazing", "parliament", "you") if word in model.word_scores]
    assert len(scored) == 3
    mean = sum(model.word_scores[w] for w in scored) / 3
    assert model.word_vector_score([*scored, "zzzqqq"]) == pytest.approx(mean)
    assert not set(model.word_scores) & (ft.IDENTITY_TERMS | ft.PUBLISHERS)


def test_character_ngrams_count_each_occurrence_and_skip_unknown_words(model: ClickbaitModel) -> None:
    vocabulary = frozenset({"best"})
    config = model.config
    once = ft.vectorise("Best burger", vocabulary, config)
    twice = ft.vectorise("Best best burger", vocabulary, config)
    assert once["char:<be"] == pytest.approx(config.char_value)
    assert twice["char:<be"] == pytest.approx(2 * config.char_value)
    assert not any(name.startswith("char:<bu") for name in once)  # "burger" is not a known word
    assert ft.stat_bins([], vocabulary, config) == []


def test_explanations_credit_character_ngrams_to_their_word(model: ClickbaitModel) -> None:
    terms = model.explain(SEED, top=20, form_only=False)
    assert any(name.startswith(ft.CHAR_PREFIX) for term in terms for name in term["features"])
    for term in terms:
        chars = [name for name in term["features"] if name.startswith(ft.CHAR_PREFIX)]
        assert len(chars) <= 1  # one label per word, not one per n-gram
        if chars:
            assert chars[0] == f"char:<{ft.words_of(term['term'])[0]}>"
    assert not any(name.startswith(ft.STAT_PREFIX) for term in terms for name in term["features"])


def test_feature_configuration_must_be_complete() -> None:
    config = ft.FeatureConfig()
    assert ft.FeatureConfig.from_dict(config.to_dict()) == config
    partial = config.to_dict()
    del partial["char_value"]
    with pytest.raises(ValueError, match="char_value"):
        ft.FeatureConfig.from_dict(partial)


def test_model_file_is_canonical_and_matches_the_feature_code(model: ClickbaitModel) -> None:
    data = packaged_bytes()
    spec = json.loads(gzip.decompress(data))
    assert encode_model(spec) == data  # written by the training script's encoder, nothing added by hand
    assert spec["words"] == sorted(spec["words"])
    # The runtime's extractor makes exactly the features the training script's extractor made.
    assert ft.probe_fingerprint(model.words, model.config) == model.fingerprint
    assert set(model.weights) >= set(ft.CUE_NAMES) - {"cue:pronoun_opener"}


def test_bad_model_files_are_refused() -> None:
    with pytest.raises(ModelFormatError):
        ClickbaitModel.from_bytes(b"not gzip")
    with pytest.raises(ModelFormatError):
        ClickbaitModel.from_bytes(encode_model({"format": "something else", "format_version": 1}))


def test_runtime_needs_no_training_stack() -> None:
    script = f"""
import sys, types
package = types.ModuleType("service"); package.__path__ = [{str(REPO / "service")!r}]
sys.modules["service"] = package  # skip the web app's __init__: only the model's own imports count
from service.headline_model.model import load_default_model
load_default_model().explain("You won't believe this")
loaded = sorted(m for m in ("sklearn", "scipy", "numpy", "pickle") if m in sys.modules)
assert not loaded, loaded
"""
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def _synthetic_corpus(folder: Path) -> None:
    subjects = ["dog", "teacher", "grandmother", "chef", "student", "pilot", "singer", "farmer"]
    clickbait = [
        f"{n} Things This {s.title()} Did That Will Make You Cry"
        for n, s in zip(range(5, 13), subjects, strict=True)
    ] + [f"You Won't Believe What This {s.title()} Found" for s in subjects]
    clickbait += [f"Here's Why Every {s.title()} Is Obsessed With This" for s in subjects]
    news = [f"{s.title()} union agrees pay deal after talks" for s in subjects]
    news += [f"Council approves plan for new {s} training centre" for s in subjects]
    news += [f"Minister says {s} numbers fell in 2019" for s in subjects]
    for name, lines in (("clickbait.txt.gz", clickbait), ("non_clickbait.txt.gz", news)):
        with gzip.open(folder / name, "wt", encoding="utf-8") as handle:
            handle.write("\n\n".join(lines) + "\n")  # blank lines as in the public files


def test_training_is_deterministic_on_a_synthetic_corpus(tmp_path: Path, capsys) -> None:
    from training.clickbait import fit  # scikit-learn is a dev dependency (requirements-dev.lock)

    _synthetic_corpus(tmp_path)
    outputs = [tmp_path / "first.json.gz", tmp_path / "second.json.gz"]
    for out in outputs:
        assert fit.main(["--corpus", str(tmp_path), "--out", str(out)]) == 0
    assert outputs[0].read_bytes() == outputs[1].read_bytes()

    trained = ClickbaitModel.from_file(outputs[0])
    assert trained.fingerprint == ft.probe_fingerprint(trained.words, trained.config)
    assert trained.probability("You Won't Believe What This Dog Found") > trained.probability(
        "Council approves plan for new dog training centre"
    )
    assert "wrote" in capsys.readouterr().out


def test_training_weights_count_headlines_that_many_times(tmp_path: Path) -> None:
    # The experiments' reweighting (training/clickbait/experiments/debias.py) goes through these.
    from training.clickbait.corpus import load_corpus
    from training.clickbait.fit import train_model

    _synthetic_corpus(tmp_path)
    clickbait, news = load_corpus(tmp_path)
    headlines, labels = clickbait + news, [1] * len(clickbait) + [0] * len(news)
    probe = ["You Won't Believe What This Dog Found", "Council approves plan for new dog training centre"]

    def scores(weights: list[float] | None) -> list[float]:
        trained = ClickbaitModel.from_bytes(encode_model(train_model(headlines, labels, weights=weights)))
        return [trained.decision(headline) for headline in probe]

    unweighted = scores(None)
    assert scores([1.0] * len(headlines)) == pytest.approx(unweighted, abs=1e-3)
    skewed = [5.0 if label else 0.2 for label in labels]  # clickbait counted 25 times as much as news
    assert all(abs(a - b) > 0.1 for a, b in zip(scores(skewed), unweighted, strict=True))


def test_other_splits_retrain_on_each_seed(tmp_path: Path) -> None:
    from bench.clickbait import other_splits
    from training.clickbait.corpus import load_corpus, split_corpus
    from training.clickbait.params import TrainParams

    _synthetic_corpus(tmp_path)
    clickbait, news = load_corpus(tmp_path)
    results = other_splits(clickbait, news, [1, 2])
    assert list(results) == [1, 2]
    for row in results.values():
        assert set(row) == {"accuracy", "precision", "recall", "f1", "roc_auc", "brier"}
        assert 0.0 <= row["brier"] <= 1.0 and 0.0 <= row["roc_auc"] <= 1.0
    # Different seeds hold out different headlines, so the runs are not copies of one another.
    splits = [split_corpus(clickbait, news, TrainParams(seed=seed)).test for seed in (1, 2)]
    assert splits[0] != splits[1]



def test_a_model_trained_with_quotations_reads_them_as_one_token(tmp_path: Path) -> None:
    from training.clickbait.corpus import load_corpus
    from training.clickbait.fit import train_model
    from training.clickbait.params import TrainParams

    _synthetic_corpus(tmp_path)
    clickbait, news = load_corpus(tmp_path)
    news += ["Mayor on budget: 'You will see lower taxes'", "Chef on awards: 'We never expected this'"] * 3
    params = TrainParams(features=ft.FeatureConfig(quotations=1))
    trained = ClickbaitModel.from_bytes(
        encode_model(train_model(clickbait + news, [1] * len(clickbait) + [0] * (len(news)), params))
    )
    assert trained.config.quotations == 1 and trained._compiled is not None
    assert trained.fingerprint == ft.probe_fingerprint(trained.words, trained.config)
    assert ft.QUOTE not in trained.words and "expected" not in trained.words  # quoted words are no words
    headline = "Farmer on prices: 'You won't believe this'"
    assert trained.decision(headline) == pytest.approx(trained.decision_by_definition(headline), abs=1e-9)


def test_variants_split_by_their_own_seed_and_report_quoting_news_and_the_seed_headline(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    import re

    from training.clickbait.experiments import variants

    _synthetic_corpus(tmp_path)
    rows = ["1\tYou Won't Believe What This Cat Found", "0\tMayor on budget: 'You will see lower taxes'"]
    rows += ["0\tCouncil approves plan for new library", "1\t9 Things Every Baker Knows"]
    for name in ("reddit", "news-sites"):
        with gzip.open(tmp_path / f"{name}.tsv.gz", "wt", encoding="utf-8") as handle:
            handle.write("\n".join(rows) + "\n")
    split_seeds: list[int] = []
    split_corpus = variants.split_corpus
    monkeypatch.setattr(
        variants, "split_corpus", lambda *args: split_seeds.append(args[-1].seed) or split_corpus(*args)
    )
    argv = ["--corpus", str(tmp_path), "--ood", str(tmp_path), "seed=1,2", "features.quotations=0,1"]
    assert variants.main(argv) == 0
    assert split_seeds == [1, 1, 2, 2]  # each variant is held out and trained by its own seed
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        f"seed={seed} features.quotations={q}" for seed in (1, 2) for q in (0, 1)
    ]
    for line in lines:
        # One news headline in each set quotes someone; the seed headline's probability closes the line.
        assert re.findall(r"(reddit|news-sites) quoting news flagged [01]/(\d+)", line) == [
            ("reddit", "1"),
            ("news-sites", "1"),
        ]
        assert re.search(r" seed headline 0\.\d{3}$", line), line


def test_the_threshold_comes_from_the_settings(model: ClickbaitModel) -> None:
    from service.checks.clickbait import ClickbaitCheck
    from service.rulebook.book import RuleBook
    from service.settings import SettingsError

    assert Settings.load(environ={"COPYDESK_CLICKBAIT_THRESHOLD": "0.6"}).clickbait_threshold == 0.6
    for bad in ("0", "1", "1.5", "-0.2"):
        with pytest.raises(SettingsError, match="COPYDESK_CLICKBAIT_THRESHOLD"):
            Settings.load(environ={"COPYDESK_CLICKBAIT_THRESHOLD": bad})
    headline = CLICKBAIT[1]
    probability = model.probability(headline)
    book = RuleBook.load([])
    labels = {
        threshold: ClickbaitCheck(book, model, threshold).score_headlines([headline])[0]["label"]
        for threshold in (probability - 0.01, probability + 0.01)
    }
    assert labels == {probability - 0.01: "clickbait", probability + 0.01: "not_clickbait"}


def _labels_either_side(client, probability: float) -> dict[float, dict]:
    return {
        threshold: client.post(
            "/v1/clickbait", json={"headlines": [CLICKBAIT[1]], "threshold": threshold}
        ).get_json()
        for threshold in (round(probability - 0.01, 4), round(probability + 0.01, 4))
    }


def test_a_request_can_set_its_own_threshold_on_the_headline_endpoint(client, model: ClickbaitModel) -> None:
    probability = model.probability(CLICKBAIT[1])
    below, above = _labels_either_side(client, probability).items()
    assert below[1]["threshold"] == below[0] and below[1]["results"][0]["label"] == "clickbait"
    assert above[1]["threshold"] == above[0] and above[1]["results"][0]["label"] == "not_clickbait"
    default = client.post("/v1/clickbait", json={"headlines": [CLICKBAIT[1]]}).get_json()
    assert default["threshold"] == THRESHOLD
    for bad in (0, 1, 1.5, -0.1, "0.5", True, None, [0.5]):
        response = client.post("/v1/clickbait", json={"headlines": ["ok"], "threshold": bad})
        assert response.status_code == 422, bad
        assert [e["field"] for e in response.get_json()["errors"]] == ["threshold"], bad


def test_a_score_request_can_set_its_own_clickbait_threshold(client, model: ClickbaitModel) -> None:
    title = CLICKBAIT[1]
    probability = model.probability(title)

    def clickbait_section(threshold: float | None, **extra) -> dict:
        payload = {"title": title, "checks": ["clickbait"], **extra}
        if threshold is not None:
            payload["clickbait_threshold"] = threshold
        response = client.post("/v1/score", json=payload)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()["checks"]["clickbait"]

    def model_issues(section: dict) -> list[dict]:
        return [i for i in section["issues"] if i["rule"]["id"] == "clickbait.model"]

    low, high = round(probability - 0.01, 4), round(probability + 0.01, 4)
    assert clickbait_section(low)["headline"]["label"] == "clickbait" and model_issues(clickbait_section(low))
    assert clickbait_section(high)["headline"]["label"] == "not_clickbait"
    assert not model_issues(clickbait_section(high))
    assert clickbait_section(high)["threshold"] == high
    assert clickbait_section(None)["threshold"] == THRESHOLD
    for bad in (0, 1, "0.5", False):
        response = client.post("/v1/score", json={"title": title, "clickbait_threshold": bad})
        assert response.status_code == 422, bad
        assert [e["field"] for e in response.get_json()["errors"]] == ["clickbait_threshold"], bad
    # With a text/plain body it is a query parameter.
    plain = client.post(
        f"/v1/score?checks=clickbait&clickbait_threshold={high}", data=title.encode(), content_type="text/plain"
    )
    assert plain.status_code == 200 and plain.get_json()["checks"]["clickbait"]["threshold"] == high
    for bad in ("abc", "1", "nan"):
        response = client.post(
            f"/v1/score?clickbait_threshold={bad}", data=title.encode(), content_type="text/plain"
        )
        assert response.status_code == 422, bad


def test_probabilities_are_calibrated_for_the_recorded_base_rate(tmp_path: Path, model: ClickbaitModel) -> None:
    import math
    from dataclasses import replace

    from bench.clickbait import matched_threshold
    from training.clickbait.corpus import load_corpus
    from training.clickbait.fit import train_model
    from training.clickbait.params import TrainParams

    assert model.training["params"]["base_rate"] == 0.25 and THRESHOLD == 0.5
    # The default rule moved to a half-and-half set is the corpus-calibrated 0.5, i.e. 0.25 here.
    assert matched_threshold(model, 0.5, 0.5) == pytest.approx(0.25)
    assert matched_threshold(model, 0.5, 0.25) == pytest.approx(0.5)
    _synthetic_corpus(tmp_path)
    clickbait, news = load_corpus(tmp_path)
    labels = [1] * len(clickbait) + [0] * len(news)
    offsets = {
        rate: train_model(clickbait + news, labels, replace(TrainParams(), base_rate=rate))["calibration"]["offset"]
        for rate in (0.5, 0.25)
    }
    assert offsets[0.5] - offsets[0.25] == pytest.approx(math.log(3), abs=1e-4)  # prior odds 1:1 -> 1:3


def test_a_findings_message_quotes_only_strong_cues_towards_clickbait(model: ClickbaitModel) -> None:
    """The message has no weights: it names the terms that pushed the headline towards
    clickbait by at least MESSAGE_CUE_WEIGHT, never one that pulled it towards news, nor a
    sentence shape or an n-gram with a name in it, which are quoted by the words they cover: an
    editor read "strongest cues: 'Gomez just revealed', 'Selena Gomez just'" as names."""
    from service.checks.clickbait import EXPLANATION_TERMS, MESSAGE_CUE_WEIGHT, ClickbaitCheck
    from service.findings import Headline
    from service.rulebook.book import RuleBook

    def own_words(term: dict) -> bool:
        return any(not f.startswith("shape:") and "<w>" not in f for f in term["features"])

    check = ClickbaitCheck(RuleBook.load([]), model, THRESHOLD)
    names = ["Selena Gomez just revealed her secret and fans are shocked",
             "Read this before you book your next Ryanair flight"]
    for text in (SEED, *CLICKBAIT, *names):
        explanation = model.explain(text, EXPLANATION_TERMS)
        (finding,) = check.headline_findings([Headline(text, 0, "title", "title")], [model.probability(text)],
                                              THRESHOLD)
        strong = [t["term"] for t in explanation if t["weight"] >= MESSAGE_CUE_WEIGHT and own_words(t)]
        quoted = ", ".join(repr(term) for term in strong)
        assert (f"; strongest cues: {quoted}." in finding.message) == bool(strong), finding.message
        for weak in (t["term"] for t in explanation if t["weight"] < MESSAGE_CUE_WEIGHT or not own_words(t)):
            assert repr(weak) not in finding.message, (weak, finding.message)
    for name in ("Gomez", "Ryanair"):
        assert any(name in t["term"] for text in names for t in model.explain(text, EXPLANATION_TERMS))
    seed = model.explain(SEED, EXPLANATION_TERMS)
    assert any(t["weight"] < 0 for t in seed) and any(0 < t["weight"] < MESSAGE_CUE_WEIGHT for t in seed)


class _FixedModel:
    """A headline model that gives every headline the same probability."""

    version = "fixed"

    def __init__(self, probability: float) -> None:
        self.p = probability

    def probability(self, headline: str) -> float:
        return self.p

    def probabilities(self, headlines: list[str]) -> list[float]:
        return [self.p for _ in headlines]

    def explain(self, headline: str, top: int = 5) -> list[dict]:
        return []


def _fixed_check(probability: float, threshold: float):
    from service.checks.clickbait import ClickbaitCheck
    from service.rulebook.book import RuleBook

    return ClickbaitCheck(RuleBook.load([]), _FixedModel(probability), threshold)


def test_a_line_of_page_furniture_is_not_judged_as_a_headline() -> None:
    """The boilerplate pack supersedes the clickbait check: a body line inside one of its findings
    (an ad placeholder, a recommendation heading, a call to follow whose "!" the finding leaves
    out) gets no verdict and no finding from the model or the clickbait rules; the same lines in a
    text the pack leaves alone are judged, and so are they when a request disables the pack. A
    "Read More:" cross-link's headline is still judged, as the other headlines of a "Read Also"
    list are."""
    from service.findings import CheckOptions, Document

    furniture = ["STORY CONTINUES BELOW THIS AD", "You may also like these articles", "Follow us for more updates!"]
    cross_link = "READ MORE: Mayor QUITS after BUDGET fight"
    judged = ["STORY CONTINUES BELOW THIS FOLD", "You may like these ten articles", "Follow the vote for updates!"]
    check = _fixed_check(0.9, 0.5)

    def verdicts(lines: list[str], **options) -> tuple[list[str], list[str]]:
        body = "\n\n".join(lines)
        text = f"The council met on Tuesday.\n\n{body}\n\nThe vote passed on Wednesday."
        result = check.run(Document(text=text, title="Council approves budget", options=CheckOptions(**options)))
        found = [h["text"] for h in result.details["body_headlines"]]
        return found, sorted({f.rule_id for f in result.findings if f.field == "text"})

    both = ["clickbait.model", "clickbait.shouting-headline"]
    assert verdicts([*furniture, cross_link]) == ([cross_link], both)
    assert verdicts(judged) == (judged, both)
    assert verdicts(furniture, disable=("boilerplate",)) == (furniture, both)


def test_a_first_line_of_page_furniture_is_no_headline() -> None:
    """Without a title, the first line stands in for one, unless it is page furniture (an ad
    placeholder above a scraped story): the text then has no headline, and the section is its
    pattern score. A title is the client's word, judged whatever it says; with the pack off, the
    line is judged."""
    from service.findings import CheckOptions, Document

    check = _fixed_check(0.9, 0.5)
    text = "Advertisement\n\nThe council met on Tuesday and voted for the new budget.\n"
    result = check.run(Document(text=text))
    assert result.details["headline"] is None and result.score == result.details["pattern_score"]
    assert "clickbait.model" not in {f.rule_id for f in result.findings}
    lead = check.run(Document(text="Council Votes for the Budget\n\nThe council met on Tuesday."))
    assert lead.details["headline"]["text"] == "Council Votes for the Budget"
    assert check.run(Document(text="The council met.", title="Advertisement")).details["headline"]["text"] == (
        "Advertisement"
    )
    unpacked = check.run(Document(text=text, options=CheckOptions(disable=("boilerplate",))))
    assert unpacked.details["headline"]["text"] == "Advertisement"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_headline_after_a_first_line_of_page_furniture_is_judged(fmt: str) -> None:
    """A line of furniture put above a clickbait headline left the text without a headline, so
    the headline's clickbait counted for nothing: one more finding ("Advertisement") raised the
    section from 0.1 to 90 and turned a warn into a pass. The lead after the furniture is the
    headline, judged once (not also as a body line)."""
    from service.score_request import build_document

    check = _fixed_check(0.9, 0.5)
    headline = "You won't believe what the council did with your money"
    body = "The council met on Tuesday and voted for the new budget."
    plain = f"{headline}\n\n{body}\n"
    furnished = {
        "text": f"Advertisement\n\n{plain}",
        "markdown": f"Advertisement\n\n# {headline}\n\n{body}\n",
        "html": f"<p>Advertisement</p><h1>{headline}</h1><p>{body}</p>",
    }[fmt]
    result = check.run(build_document(furnished, None, fmt))  # type: ignore[arg-type]
    assert result.details["headline"]["text"] == headline and result.details["body_headlines"] == []
    assert [f.rule_id for f in result.findings].count("clickbait.model") == 1
    model = next(f for f in result.findings if f.rule_id == "clickbait.model")
    assert furnished[model.offset : model.offset + model.length] == headline
    without = check.run(build_document(plain, None, "text"))
    assert result.score == without.score < result.details["pattern_score"]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_first_heading_of_page_furniture_is_no_headline(fmt: str) -> None:
    """Without a title, the markup's first heading stands in for one, unless it is page furniture
    (a photo gallery's heading above a scraped review): the text then has no headline. The same
    heading sent as the title is the client's word, and judged."""
    from service.score_request import build_document

    check = _fixed_check(0.9, 0.5)
    gallery = "Gallery: Xbox One X | 14 Photos"
    body = "The console runs quietly and stays cool under load."
    text = f"## {gallery}\n\n{body}\n" if fmt == "markdown" else f"<h4>{gallery}</h4><p>{body}</p>"
    result = check.run(build_document(text, None, fmt))  # type: ignore[arg-type]
    assert result.details["headline"] is None
    assert "clickbait.model" not in {f.rule_id for f in result.findings}
    sent = check.run(build_document(text, gallery, fmt))  # type: ignore[arg-type]
    assert sent.details["headline"]["text"] == gallery
    news = check.run(build_document(text.replace(gallery, "Council Votes for the Budget"), None, fmt))  # type: ignore[arg-type]
    assert news.details["headline"]["text"] == "Council Votes for the Budget"


def test_where_the_model_is_superseded_is_asked_once_and_only_when_a_body_line_is_judged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``RuleBook.covers`` runs the furniture rules once more: a text with a title and without a
    body line to judge never asks it, one with several asks it once, and so does one whose first
    line stands in for its title and which has body lines too."""
    from service.findings import Document

    check = _fixed_check(0.9, 0.5)
    asked: list[int] = []
    covers = check.book.covers
    monkeypatch.setattr(check.book, "covers", lambda *a, **k: asked.append(1) or covers(*a, **k))
    check.run(Document(text="The council met on Tuesday. The vote passed.", title="Council approves budget"))
    assert asked == []
    body = "The council met on Tuesday.\n\nMayor Opens The New Park\n\nCouncil Budget Vote Explained Today\n"
    result = check.run(Document(text=body, title="Council approves budget"))
    assert asked == [1] and len(result.details["body_headlines"]) == 2
    result = check.run(Document(text="Council Approves the Budget\n\n" + body))
    assert asked == [1, 1] and result.details["headline"] and len(result.details["body_headlines"]) == 2


def test_a_headline_exactly_at_the_threshold_is_clickbait() -> None:
    """The threshold is "clickbait at or above": the finding and the label agree at the boundary."""
    from service.findings import Document

    result = _fixed_check(0.5, 0.5).run(Document(text="Body.", title="A title here now"))
    assert [f.rule_id for f in result.findings] == ["clickbait.model"]
    assert result.details["headline"]["label"] == "clickbait"
    # At it as shown: 0.53566 is shown as 0.5357, and was labelled not clickbait at 0.5357.
    shown = _fixed_check(0.53566, 0.5357).run(Document(text="Body.", title="A title here now"))
    assert shown.details["headline"]["probability"] == 0.5357
    assert shown.details["headline"]["label"] == "clickbait" and len(shown.findings) == 1


def test_the_section_score_is_the_pattern_score_times_one_minus_p() -> None:
    """README: clickbait = 100 x exp(-density / 1) x (1 - p); no pattern finding leaves 100 x (1 - p)."""
    from service.findings import Document

    result = _fixed_check(0.25, 0.9).run(Document(text="Body.", title="A title here now"))
    assert result.details["pattern_score"] == 100.0
    assert result.score == 75.0


def test_body_headlines_start_at_four_words() -> None:
    """README: body lines that stand alone like headlines are judged from 4 words; shorter are labels."""
    from service.checks.clickbait import MIN_BODY_HEADLINE_WORDS, body_headlines
    from service.findings import Document

    text = (
        "The council met on Tuesday to approve the budget.\n\n"
        "Read Also:\nMayor Opens New Park\nPark Opens Today\nCouncil Budget Vote Today Explained\n\n"
        "The vote passed."
    )
    found = [h.text for h in body_headlines(Document(text=text, title="Council approves budget"))]
    assert found == ["Mayor Opens New Park", "Council Budget Vote Today Explained"]
    assert len(found[0].split()) == MIN_BODY_HEADLINE_WORDS


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_question_the_next_paragraph_answers_is_no_body_headline(fmt: str) -> None:
    """A FAQ's or an interview's subheading asks what the paragraph below answers ("When is the
    final?", then "The final is on Sunday."): the reader has the answer without a click, and the
    model and the question rule took 67 such lines of 187 on the probe pages for teasers. A
    question that a list, another headline or nothing follows is still judged, as is the title."""
    from service.checks.clickbait import body_headlines
    from service.score_request import build_document

    answered, listed = "When Is The Tennis Final?", "Who Is Playing In The Final?"
    linked = ["Will The Mayor Quit Now?", "Is This The End Of The Euro?"]
    answer = "The final is on Sunday 5 November."
    if fmt == "html":
        links = "".join(f"<p>{line}</p>\n" for line in linked)
        text = (
            f"<h1>{answered}</h1><p>{answer}</p><h2>{answered}</h2><p>{answer}</p>"
            f"<h2>{listed}</h2><ul><li>Sabalenka</li></ul>\n\n<p>Read Also:</p>\n{links}\n<p>{answer}</p>"
        )
    else:
        heading = "## " if fmt == "markdown" else ""
        links = "".join(f"{line}\n" for line in linked)
        text = (
            f"{answered}\n\n{answer}\n\n{heading}{answered}\n\n{answer}\n\n"
            f"{heading}{listed}\n\n- Sabalenka\n\nRead Also:\n{links}\n{answer}\n"
        )
    document = build_document(text, None, fmt)  # type: ignore[arg-type]
    assert document.headline is not None and document.headline.text == answered
    assert [h.text for h in body_headlines(document)] == [listed, *linked]


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_a_question_answered_under_its_subheadings_or_with_an_exclamation_is_no_body_headline(fmt: str) -> None:
    """A README's "How does it work?" has its answer under a subheading of its own, and "Why
    should keys be constant values?" a paragraph of three sentences that ends with "!": both
    were judged as teasers. A paragraph as short as a headline that ends with "!" answers nothing,
    and a question that is no heading is answered by no section under the next heading."""
    from service.checks.clickbait import body_headlines
    from service.score_request import build_document

    parent, child, why, short, listed = (
        "How Does The Recognition Work?", "Which Models Does It Use Today?", "Why Should Keys Be Constant Values?",
        "Who Is Playing In The Final?", "Is Your Company Listed Here Yet?",
    )
    answer = "It reads the trigrams of the text and compares them with those of each language it knows."
    exclaimed = (
        "The point of structured logging is to make log processing easier. Your keys are the schema of each "
        "log message. Constant keys are for values, not for keys!"
    )
    blocks = [("Our Language Detector", True), ("It ends as prose does.", False), (parent, True), (child, True),
              (answer, False), (why, True), (exclaimed, False), (short, True), ("Sabalenka wins!", False),
              (listed, False), ("Checks", True), (answer, False)]
    if fmt == "html":
        text = "".join(f"<h2>{b}</h2>\n\n" if heading else f"<p>{b}</p>\n\n" for b, heading in blocks)
    else:
        text = "".join(f"## {b}\n\n" if heading else f"{b}\n\n" for b, heading in blocks)
    document = build_document(text, None, fmt)  # type: ignore[arg-type]
    assert [h.text for h in body_headlines(document)] == [short, listed]
