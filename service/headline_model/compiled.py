"""The clickbait model folded, at load time, into tables a headline is scored from with few steps.

Why: the definition of a score (``ClickbaitModel.decision_by_definition``: the values of
``features.vectorise`` times the weights, plus the naive-Bayes and word-vector channels) runs a
regex over each headline, builds every feature name as a string and looks it up by name, and
most of its time went into the regex and into joining strings for n-grams the model has no
weight for. Here:

* a headline is split at whitespace, and each chunk of text (a word with its punctuation, most
  of the time) is tokenised once and remembered in a bounded cache with everything its tokens
  contribute on their own: character n-gram and word-vector scores, unigram weights, cues,
  counts for the headline statistics;
* each token is written as three characters, codes of its own: what word n-grams see of it (the
  word if known, else ``<w>``), its sentence-shape symbol, and what the position-dependent cues
  need (openers, teaser phrases, forward references); a clause is then three short strings, its
  bigrams and shapes are slices of them, and the weights are keyed by those slices at load time.
  No feature name is built while scoring, and the teaser phrases are one regex search.

``tests/test_clickbait_model.py`` holds this equal to the definition on many headlines, and
``python -m bench.clickbait`` reports the largest difference on whole data sets. Only what the
shipped model uses is folded (word n-grams up to bigrams): :meth:`CompiledScorer.supports` says
whether a model is, and ``ClickbaitModel`` scores by the definition otherwise (training
experiments try other settings).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter

from ..text import memo
from . import features as ft

# Distinct chunks of text (and, separately, words) of up to ft.MEMO_MAX_WORD code points the scorer
# remembers before it starts over: CHUNK_MEMO_SCALE times COPYDESK_MEMO_ENTRIES, about 370 bytes
# each, so some 12 MB at most for each at the default (the 10,762 headlines of the news-sites set
# have 25,628 distinct chunks, fewer words).
CHUNK_MEMO_SCALE = 8

_S, _E, _W = ft.CLAUSE_START, ft.CLAUSE_END, ft.UNKNOWN
# Bigrams the definition never makes (``features._plain_names``): an unknown word next to a clause
# edge or another unknown word, and an empty clause.
_NOT_BIGRAMS = ((_W, _W), (_W, _E), (_S, _W), (_S, _E))
_CONTENT_SHAPES = ("_", *("_" + suffix for suffix in ft.SUFFIX_CLASSES))
# A dash between spaces is a clause break; alone as a chunk it is one (at either end of a headline,
# where the regex does not see it as one, a break changes no clause).
_DASHES = frozenset("-\u2013\u2014")
_BREAK = "\x00"  # all three codes of a clause break
_OTHER = "\x01"  # the cue code of a token no position-dependent cue looks at
_LIST_NUMBER_CODE = "\x02"  # the cue code of a number that may open a list ("21 Things")
_QUESTION, _IMPERATIVE = ft.CUE_PREFIX + "question", ft.CUE_PREFIX + "imperative"
_FORWARD, _TEASER = ft.CUE_PREFIX + "forward_reference", ft.CUE_PREFIX + "teaser"
_LIST_NUMBER, _PRONOUN_OPENER = ft.CUE_PREFIX + "list_number", ft.CUE_PREFIX + "pronoun_opener"
# Words whose place in a clause a cue looks at: each gets a cue code of its own.
_CUE_WORDS = sorted(
    {word for phrase in ft.TEASER_PHRASES for word in phrase}
    | ft.FORWARD_REFERENCE
    | ft.TIME_NOUNS
    | ft.QUESTION_OPENERS
    | ft.IMPERATIVE_OPENERS
    | ft.PRONOUN_OPENERS
)

# Per token, the statistics count seven things. They travel packed in one integer, 32 bits each, so
# one C-level sum() adds them up for a headline (no headline comes near 2**32 characters).
_LANE = 32
_MASK = (1 << _LANE) - 1
_TOKENS, _SCORED, _LETTERED, _LETTERS, _FUNCTION, _UNKNOWN, _FORMED = range(7)


def _lane(counts: int, lane: int) -> int:
    return (counts >> (_LANE * lane)) & _MASK


# What a chunk of text without whitespace contributes, worked out the first time it is seen:
#   codes     three characters per token: form code, shape code, cue code (``_BREAK`` * 3: a break)
#   counts    the packed statistics counts of its tokens (see ``_LANE``)
#   scores    character n-gram scores + 1j * word-vector scores, summed over its tokens
#   unigrams  linear + 1j * naive-Bayes weights of its tokens' unigrams, per occurrence
#   cues      the cues its tokens fire by themselves wherever they stand
# A plain tuple of immutable values, not a NamedTuple: the garbage collector stops tracking exact
# tuples that hold no container, and tens of thousands of cached chunks would slow every collection.
Chunk = tuple[str, int, complex, complex, tuple[str, ...]]
_CODES, _COUNTS, _SCORES, _UNIGRAMS, _CUES = map(itemgetter, range(5))
_BREAK_CHUNK: Chunk = (_BREAK * 3, 0, 0j, 0j, ())
_ZERO = itertools.repeat(0j)


class _ChunkCache(dict[str, Chunk]):
    """Chunk of text -> :data:`Chunk`, filled on first sight; a dict subclass, so a hit costs one
    C-level lookup and only a miss runs Python."""

    def __init__(self, make: Callable[[str], Chunk]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, chunk: str) -> Chunk:
        value = self._make(chunk)
        if len(chunk) <= ft.MEMO_MAX_WORD:
            kept = CHUNK_MEMO_SCALE * memo.entries()
            if len(self) >= kept:
                self.clear()  # bounded: arbitrary input cannot grow it
            if kept:
                self[chunk] = value
        return value


def _codes(symbols: Iterable[str], first: int) -> dict[str, str]:
    """One character per symbol, from code point ``first`` on, skipping surrogates."""
    points = (point for point in itertools.count(first) if not 0xD800 <= point <= 0xDFFF)
    return {symbol: chr(point) for symbol, point in zip(dict.fromkeys(symbols), points, strict=False)}


# Precomputed slice objects: most clauses are short, and making slices is a large part of scoring.
_SLICES = {size: [slice(i, i + size) for i in range(64)] for size in range(1, 9)}


def _runs(text: str, size: int) -> Iterable[str]:
    """Every run of ``size`` consecutive characters of ``text``."""
    count = len(text) - size + 1
    slices = _SLICES.get(size, ())
    if count <= len(slices):
        return map(text.__getitem__, slices[: max(count, 0)])
    return (text[i : i + size] for i in range(count))


class CompiledScorer:
    """Scores headlines as ``ClickbaitModel.decision_by_definition`` does, from per-chunk tables."""

    @staticmethod
    def supports(config: ft.FeatureConfig, words: frozenset[str], presence_weights: Mapping[str, float]) -> bool:
        """Whether a model can be folded: word n-grams up to bigrams, no known word with a space or a
        colon (its name would read as a bigram's or a prefixed feature's), naive-Bayes weights only
        on the normalised features. Words from the tokeniser have neither."""
        return (
            config.ngram_max <= 2
            and not any(" " in word or ":" in word for word in words)
            and not any(name.startswith((ft.CHAR_PREFIX, ft.STAT_PREFIX)) for name in presence_weights)
        )

    def __init__(
        self,
        config: ft.FeatureConfig,
        words: frozenset[str],
        weights: Mapping[str, float],
        presence_weights: Mapping[str, float],
        word_scores: Mapping[str, float],
        intercept: float,
    ) -> None:
        if not self.supports(config, words, presence_weights):
            raise ValueError("this model cannot be folded; score it by the definition")
        self.config = config
        self.tokeniser = ft.STANDIN_TOKENISER if config.quotations else ft.TOKENISERS[0]
        self.words = words
        self.weights = weights
        self.word_scores = word_scores
        self.intercept = intercept
        # Form and shape codes come from separate ranges, so one table holds bigrams and shapes.
        self.form_codes = _codes([_S, _E, _W, ft.NUM, *sorted(words)], 0x100)
        self.shape_codes = _codes(
            [_S, _E, ft.NUM, *_CONTENT_SHAPES, *sorted(ft.FUNCTION_WORDS)], 0x100 + len(self.form_codes)
        )
        self.cue_codes = _codes(_CUE_WORDS, 0x100)  # a string of its own: the range may overlap
        self.shape_sizes = tuple(range(config.shape_min, config.shape_max + 1)) if config.shape_min else ()
        # What the definition never counts: the bigrams it does not make, and shapes of content
        # words only (nothing but topic is left in them).
        self.not_features = frozenset(
            [
                *("".join(map(self.form_codes.__getitem__, pair)) for pair in _NOT_BIGRAMS),
                *(
                    "".join(map(self.shape_codes.__getitem__, window))
                    for n in self.shape_sizes
                    for window in itertools.product(_CONTENT_SHAPES, repeat=n)
                ),
            ]
        )
        # Linear weight + 1j * naive-Bayes weight: one lookup fetches both; the real part is scaled
        # by the feature value, the imaginary part is added as it is. A name with a part that has
        # no code can never be made, so it is left out.
        self.table: dict[str, complex] = {}  # word unigrams and bigrams, sentence shapes, by codes
        self.cues: dict[str, complex] = {}
        stats: dict[str, dict[int, float]] = {}  # statistic -> bin -> weight
        for source, part in ((weights, 1.0), (presence_weights, 1j)):
            for name, weight in source.items():
                prefix = name[: name.find(":") + 1]  # word n-grams have none
                if not prefix:
                    codes, symbols = self.form_codes, name.split(" ")
                elif prefix == ft.SHAPE_PREFIX:
                    codes, symbols = self.shape_codes, name.removeprefix(prefix).split(" ")
                elif prefix == ft.CUE_PREFIX:
                    self.cues[name] = self.cues.get(name, 0j) + part * weight
                    continue
                elif prefix == ft.STAT_PREFIX:
                    statistic, _, value = name.removeprefix(prefix).partition("=")
                    stats.setdefault(statistic, {})[int(value)] = weight
                    continue
                else:  # character n-grams are folded into each word's chunk
                    continue
                try:
                    key = "".join([codes[symbol] for symbol in symbols])
                except KeyError:
                    continue  # a part without a code: the feature can never be made
                if key not in self.not_features:
                    self.table[key] = self.table.get(key, 0j) + part * weight
        self.stat_bins = tuple(
            stats.get(statistic, {})
            for statistic in ("words", "word_length", "function_share", "unknown_share", "clauses")
        )
        self.not_unigrams = frozenset((self.form_codes[_W], _BREAK))
        cue_codes = self.cue_codes
        # A teaser phrase is its words' codes in a row; "this photo" is a forward reference, "this
        # week" is not (one followed by a time noun).
        self.teaser = re.compile("|".join(re.escape("".join(map(cue_codes.get, p))) for p in ft.TEASER_PHRASES)).search
        self.forward_reference = re.compile(
            f"[{re.escape(''.join(map(cue_codes.get, sorted(ft.FORWARD_REFERENCE))))}]"
            f"(?![{re.escape(''.join(map(cue_codes.get, sorted(ft.TIME_NOUNS))))}])"
        ).search
        self.question_openers = frozenset(map(cue_codes.get, ft.QUESTION_OPENERS))
        self.imperative_openers = frozenset(map(cue_codes.get, ft.IMPERATIVE_OPENERS))
        self.pronoun_openers = frozenset(map(cue_codes.get, ft.PRONOUN_OPENERS))
        self.edges = (self.form_codes[_S], self.form_codes[_E], self.shape_codes[_S], self.shape_codes[_E])
        self.chunks = _ChunkCache(self._chunk)
        # With quotations on, the statistics read the headline without them (``features.extract``):
        # its chunks as the quotations-off tokeniser reads them.
        self.plain_chunks = _ChunkCache(lambda chunk: self._chunk(chunk, ft.TOKENISERS[0]))
        # A chunk the scorer has not seen is mostly words it has ("Trump's", "(Trump"): what each
        # word adds is kept too (same bound), so only a new word runs ``_token``.
        self.tokens = _ChunkCache(self._token)

    def _chunk(self, chunk: str, tokeniser: re.Pattern[str] | None = None) -> Chunk:
        """What ``features._token_clauses`` makes of a chunk without whitespace, and what its tokens
        add (a :data:`Chunk`).

        The tokenising regex never matches across whitespace (with quotations on, ``decision`` has
        put a stand-in, one character, in place of each quotation) and looks at most one character
        past a match, where a chunk's edge stands for the whitespace (or the headline's end) that
        follows it; only a lone dash needs the whitespace before it too, see ``_DASHES``."""
        if chunk in _DASHES:
            return _BREAK_CHUNK
        parts = []
        for quote, acronym, number, word, _ in (tokeniser or self.tokeniser).findall(chunk):
            if word:
                parts.append(self.tokens[ft.normalise_word(word)])
            elif quote:
                parts.append(self.tokens[ft.QUOTE])
            elif number:
                parts.append(self._token(ft.NUM, number))
            elif acronym:
                parts.append(self.tokens[acronym.replace(".", "").casefold()])
            else:
                parts.append(_BREAK_CHUNK)
        return (
            "".join(map(_CODES, parts)),
            sum(map(_COUNTS, parts)),
            sum(map(_SCORES, parts), 0j),
            sum(map(_UNIGRAMS, parts), 0j),
            tuple(sorted({cue for part in parts for cue in part[4]})),
        )

    def _token(self, token: str, number_text: str = "") -> Chunk:
        """What one normalised token contributes (``number_text``: the digits of a ``<num>``)."""
        config = self.config
        known = token in self.words
        is_number = token == ft.NUM
        formed = known or is_number
        char_score = 0.0
        if known:
            get = self.weights.get
            names = ft.char_ngrams(token, config.char_min, config.char_max)
            char_score = config.char_value * sum(get(name, 0.0) for name in names)
        word_score = self.word_scores.get(token)
        form = self.form_codes[token if formed else _W]
        # "21 Things", not "2009 was", "1970s" or "8²": see ``features._cues``.
        list_number = is_number and number_text.isdecimal() and len(number_text) <= 3 and int(number_text) <= 200
        codes = form + self.shape_codes[ft.shape(token)]
        codes += _LIST_NUMBER_CODE if list_number else self.cue_codes.get(token, _OTHER)
        counts = (
            1 << _LANE * _TOKENS
            | (word_score is not None) << _LANE * _SCORED
            | (not is_number) << _LANE * _LETTERED
            | (0 if is_number else len(token)) << _LANE * _LETTERS
            | (token in ft.FUNCTION_WORDS) << _LANE * _FUNCTION
            | (not formed) << _LANE * _UNKNOWN
            | formed << _LANE * _FORMED
        )
        unigrams = self.table.get(form, 0j) if formed else 0j
        return (codes, counts, complex(char_score, word_score or 0.0), unigrams, ft.TOKEN_CUES.get(token, ()))

    def decision(self, headline: str) -> float:
        """The uncalibrated linear score, equal to ``ClickbaitModel.decision_by_definition``."""
        read = ft.quotations_marked(headline) if self.config.quotations else headline
        # A quotation (or a stand-in the text brought) makes the statistics' reading differ.
        as_written = read == headline and ft.QUOTATION_STANDIN not in headline
        chunks = list(map(self.chunks.__getitem__, read.split()))
        codes = "".join(map(_CODES, chunks))
        forms, shapes, cue_codes = codes[0::3], codes[1::3], codes[2::3]
        if _BREAK not in forms:
            clauses = [(forms, shapes, cue_codes)] if forms else []
        else:
            clauses = [
                clause
                for clause in zip(forms.split(_BREAK), shapes.split(_BREAK), cue_codes.split(_BREAK), strict=True)
                if clause[0]
            ]
        if not clauses:
            return self.intercept
        counts = sum(map(_COUNTS, chunks))
        cues = set().union(*map(_CUES, chunks))
        found: set[str] = set()  # bigram and shape codes of every clause (their ranges never meet)
        form_start, form_end, shape_start, shape_end = self.edges
        for clause_forms, clause_shapes, clause_cues in clauses:
            found.update(_runs(form_start + clause_forms + form_end, 2))
            marked = shape_start + clause_shapes + shape_end
            for size in self.shape_sizes:
                found.update(_runs(marked, size))
            # The cues that depend on where a token stands in its clause (``features._cue_names``).
            if clause_cues[0] in self.question_openers and len(clause_cues) > 1:
                cues.add(_QUESTION)
            if clause_cues[0] in self.imperative_openers:
                cues.add(_IMPERATIVE)
            if self.teaser(clause_cues):
                cues.add(_TEASER)
            if self.forward_reference(clause_cues):
                cues.add(_FORWARD)
        opener = clauses[0][2][0]  # the headline's first token
        if opener == _LIST_NUMBER_CODE:
            cues.add(_LIST_NUMBER)
        elif opener in self.pronoun_openers:
            cues.add(_PRONOUN_OPENER)
        found -= self.not_features
        unigrams = set(forms)
        unigrams -= self.not_unigrams
        table = self.table.get
        if len(unigrams) == (counts >> _LANE * _FORMED) & _MASK:  # no word twice: per-chunk sums will do
            plain = sum(map(_UNIGRAMS, chunks), sum(map(table, found, _ZERO)))
        else:
            plain = sum(map(table, unigrams, _ZERO), sum(map(table, found, _ZERO)))
        plain_value, cue_value = ft.feature_values(len(unigrams) + len(found), len(cues), self.config)
        cue_sum = sum(map(self.cues.get, cues, _ZERO))
        scores = sum(map(_SCORES, chunks))
        scored = (counts >> _LANE * _SCORED) & _MASK
        return (
            self.intercept
            + plain_value * plain.real
            + cue_value * cue_sum.real
            + plain.imag
            + cue_sum.imag
            + scores.real
            + (self._stat_score(counts, len(clauses)) if as_written else self._plain_stat_score(headline))
            + (scores.imag / scored if scored else 0.0)
        )

    def _plain_stat_score(self, headline: str) -> float:
        """The statistics' share of a headline with quotations, read as written (quotations off)."""
        chunks = list(map(self.plain_chunks.__getitem__, headline.split()))
        forms = "".join(map(_CODES, chunks))[0::3]
        return self._stat_score(sum(map(_COUNTS, chunks)), sum(1 for part in forms.split(_BREAK) if part))

    def _stat_score(self, counts: int, clause_count: int) -> float:
        """What the headline's statistic bins add (``features._stat_bins``, the same arithmetic)."""
        config = self.config
        size = _lane(counts, _TOKENS)
        if not config.stat_value or size < config.stat_min_words:
            return 0.0
        lettered = _lane(counts, _LETTERED)
        mean_length = _lane(counts, _LETTERS) / lettered if lettered else 0.0
        function_share = _lane(counts, _FUNCTION) / size
        unknown_share = _lane(counts, _UNKNOWN) / size
        words, word_length, function, unknown, clauses = self.stat_bins
        return config.stat_value * (
            words.get(min(size, 16), 0.0)
            + word_length.get(min(int(mean_length * 2), 16), 0.0)
            + function.get(int(function_share * 8), 0.0)
            + unknown.get(int(unknown_share * 8), 0.0)
            + clauses.get(min(clause_count, 4), 0.0)
        )
