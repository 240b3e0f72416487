"""Runtime clickbait model: a linear model over headline features, scored in plain Python.

The model file is gzipped JSON written by ``training.clickbait.fit`` (no pickle, nothing
executable): the feature configuration, the word list, one weight per feature, one score per word
for the word-vector channel (distilled at training time from a sentence encoder, which never runs
here), the intercept and two Platt-scaling numbers; probabilities are calibrated for copy that is a
quarter clickbait. Scoring needs no scikit-learn, SciPy or NumPy, so the service does not carry
the training stack and a model file can be inspected with ``zcat``.

Stable API (used by ``service.checks.clickbait``)::

    model = load_default_model()            # cached; the file packaged with this module
    model.probability("headline") -> float  # probability of clickbait, 0..1 (for a 25 % base rate)
    model.probabilities([...]) -> list[float]
    model.explain("headline", top=5) -> [{"term": "You Won't", "weight": 1.23, "features": [...]}]
    model.version                            # short hash of the model file
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import io
import json
import math
from collections.abc import Mapping, Sequence
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any

from ..text.memo import remembered
from . import features as ft
from .compiled import CompiledScorer

MODEL_FORMAT = "copydesk.clickbait"
# 2: character n-grams and headline statistics; 3: a naive-Bayes channel; 4: word scores distilled
# from a sentence encoder's word vectors
MODEL_FORMAT_VERSION = 4
DEFAULT_MODEL_NAME = "model.json.gz"
# A model keeps the explanations of COPYDESK_MEMO_ENTRIES headlines (a few hundred bytes each) of
# up to this many code points.
EXPLAINED_HEADLINE_CHARS = 1000


class ModelFormatError(ValueError):
    """The file is not a clickbait model this code can read."""


def _as_dict(value: Mapping[str, float]) -> dict[str, float]:
    """The mapping itself when it is a dict (as parsed from the file: no copy), else a dict of it."""
    return value if type(value) is dict else dict(value)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


class ClickbaitModel:
    """A trained headline classifier. Build it with :meth:`from_file` or :func:`load_default_model`."""

    def __init__(self, spec: Mapping[str, Any], version: str = "unversioned") -> None:
        if spec.get("format") != MODEL_FORMAT or spec.get("format_version") != MODEL_FORMAT_VERSION:
            raise ModelFormatError(
                f"expected {MODEL_FORMAT} v{MODEL_FORMAT_VERSION}, "
                f"got {spec.get('format')!r} v{spec.get('format_version')!r}"
            )
        self.config = ft.FeatureConfig.from_dict(spec["feature_config"])
        # What a form-only explanation reads: character n-grams and statistics are never form
        # features, so they are not extracted for it (most of a headline's features otherwise).
        self._form_config = dataclasses.replace(self.config, char_min=0, stat_value=0.0)
        self.words: frozenset[str] = frozenset(spec["words"])
        self.weights: dict[str, float] = _as_dict(spec["weights"])
        # The naive-Bayes channel: added once for each word n-gram, shape or cue the headline has.
        self.presence_weights: dict[str, float] = _as_dict(spec["presence_weights"])
        # The word-vector channel: one score per word (the fitted weights times the word's vector, so
        # the vectors need not ship); a headline adds the mean score of its words that have one.
        self.word_scores: dict[str, float] = _as_dict(spec["word_scores"])
        self.intercept = float(spec["intercept"])
        self.slope = float(spec["calibration"]["slope"])
        self.offset = float(spec["calibration"]["offset"])
        self.fingerprint: str = spec["fingerprint"]
        self.training: dict[str, Any] = dict(spec.get("training", {}))
        self.version: str = version
        # The fast path (see ``compiled``): the same scores, from tables built once here.
        self._compiled = (
            CompiledScorer(
                self.config, self.words, self.weights, self.presence_weights, self.word_scores, self.intercept
            )
            if CompiledScorer.supports(self.config, self.words, self.presence_weights)
            else None
        )
        # Editors re-check the same article: its headlines' explanations are kept (the model
        # never changes, so they never go stale), least recently used out.
        self._explained = remembered(EXPLAINED_HEADLINE_CHARS)(self._explain)

    @classmethod
    def from_bytes(cls, data: bytes) -> ClickbaitModel:
        """Read a model from the bytes of a gzipped JSON model file."""
        version = hashlib.sha256(data).hexdigest()[:12]
        try:
            spec = json.loads(gzip.decompress(data).decode("utf-8"))
        except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelFormatError(f"not a gzipped JSON model file: {exc}") from exc
        if not isinstance(spec, dict):
            raise ModelFormatError("model file does not hold a JSON object")
        return cls(spec, version)

    @classmethod
    def from_file(cls, path: str | Path) -> ClickbaitModel:
        return cls.from_bytes(Path(path).read_bytes())

    def decision(self, headline: str) -> float:
        """The uncalibrated linear score (log-odds before Platt scaling)."""
        if self._compiled is None:
            return self.decision_by_definition(headline)
        return self._compiled.decision(headline)

    def decision_by_definition(self, headline: str) -> float:
        """:meth:`decision` as defined: each feature's value times its weight, the naive-Bayes weight
        of each feature present, and the word-vector channel. Slow; the reference the fast path is
        tested against, and the scorer for configurations it does not fold."""
        values = ft.vectorise(headline, self.words, self.config)
        weight, presence = self.weights.get, self.presence_weights.get
        linear = sum(weight(name, 0.0) * value for name, value in values.items())
        return self.intercept + linear + sum(map(presence, values, repeat(0.0))) + self.word_vector_score(
            ft.words_of(headline, self.config.quotations)
        )

    def word_vector_score(self, tokens: Sequence[str]) -> float:
        """The word-vector channel's share of the score: the mean score of the tokens that have one."""
        scores = self.word_scores
        found = [scores[token] for token in tokens if token in scores]
        return sum(found) / len(found) if found else 0.0

    def probability(self, headline: str) -> float:
        """Calibrated probability, 0..1, that ``headline`` is clickbait."""
        return _sigmoid(self.slope * self.decision(headline) + self.offset)

    def probabilities(self, headlines: Sequence[str]) -> list[float]:
        """:meth:`probability` for each headline, in order (identical to scoring one by one, with
        two calls less per headline)."""
        decision = self.decision if self._compiled is None else self._compiled.decision
        slope, offset = self.slope, self.offset
        return [_sigmoid(slope * decision(headline) + offset) for headline in headlines]

    def explain(self, headline: str, top: int = 5, form_only: bool = True) -> list[dict[str, Any]]:
        """The ``top`` terms of the headline that moved its score most (see ``_explain``); a
        copy the caller may change."""
        return [{**term, "features": list(term["features"])} for term in self._explained(headline, top, form_only)]

    def _explain(self, headline: str, top: int, form_only: bool) -> list[dict[str, Any]]:
        """The ``top`` terms of the headline that moved its score most.

        Each term is the headline's own text for a feature (a word, a phrase, or the words that
        triggered a cue); features quoting the same text are merged. ``weight`` is the term's
        contribution to the log-odds (linear weight times feature value, plus the naive-Bayes
        channel's weight). Headline statistics move the score but are not terms, so they are not
        listed. The largest contributions by size are kept, listed towards-clickbait first (largest
        first), then towards-news.

        By default only form features are quoted (cues, sentence shapes, and word n-grams made of
        function and cue words: ``features.is_form_feature``): they are what an editor can change
        and what carries to other newsrooms, where a topic word such as "car" says why *this corpus*
        leaned one way. With ``form_only=False`` every feature counts, a word's character n-grams
        credited to that word (listed as one feature, ``char:<word>``).
        """
        values = ft.vectorise(headline, self.words, self.config)
        merged: dict[str, dict[str, Any]] = {}
        seen: set[str] = set()
        for name, start, end in ft.extract(headline, self.words, self._form_config if form_only else self.config):
            if name.startswith(ft.STAT_PREFIX) or (form_only and not ft.is_form_feature(name)):
                continue  # statistic bins describe the whole headline, not a term to quote
            weight = self.weights.get(name, 0.0)
            if name.startswith(ft.CHAR_PREFIX):  # per occurrence, credited to its own word
                if not weight:
                    continue
                contribution = weight * self.config.char_value
                name = f"{ft.CHAR_PREFIX}<{ft.words_of(headline[start:end])[0]}>"  # one label per word
            elif name in seen:
                continue
            else:
                seen.add(name)
                contribution = weight * values[name] + self.presence_weights.get(name, 0.0)
                if not contribution:
                    continue
            term = headline[start:end]
            entry = merged.setdefault(term.casefold(), {"term": term, "weight": 0.0, "features": []})
            entry["weight"] += contribution
            if name not in entry["features"]:
                entry["features"].append(name)
        strongest = sorted(merged.values(), key=lambda e: (-abs(e["weight"]), e["term"]))[: max(top, 0)]
        for entry in strongest:
            entry["weight"] = round(entry["weight"], 4)
            entry["features"].sort()
        return sorted(strongest, key=lambda e: (e["weight"] < 0, -abs(e["weight"]), e["term"]))


def encode_model(spec: Mapping[str, Any]) -> bytes:
    """A model file's bytes: canonical JSON (sorted keys), gzipped without time stamp or file name.

    The training script writes models with this, so the same model always has the same bytes.
    """
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as handle:
        handle.write(text.encode("utf-8"))
    return buffer.getvalue()


@functools.cache
def load_default_model() -> ClickbaitModel:
    """The model packaged with this module (loaded once per process)."""
    data = resources.files(__package__).joinpath(DEFAULT_MODEL_NAME).read_bytes()
    return ClickbaitModel.from_bytes(data)
