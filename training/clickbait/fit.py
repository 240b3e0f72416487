"""Fit the headline model on the training part of the corpus and write the model file (dev-only).

    python -m training.clickbait.fit --corpus PATH [--out service/headline_model/model.json.gz]

Same corpus and same library versions give a byte-identical file. What it does, and why:

1. Splits the corpus once (``corpus.split_corpus``); the held-out part is never trained on.
2. Builds the word list from the training part (``words``).
3. Extracts features with ``service.headline_model.features`` (the runtime's own code), scales each
   by its naive-Bayes log-count ratio and fits an L2-regularised logistic regression on that
   (NB-LR: Wang & Manning, "Baselines and Bigrams", ACL 2012), and fits Platt scaling (two numbers)
   on out-of-fold scores from a stratified k-fold of the training part, so probabilities are
   calibrated; its offset is then moved by the log prior odds from the corpus's share of clickbait
   (one half) to ``TrainParams.base_rate`` (a quarter), for which the probabilities are calibrated.
   The scaling is folded into the exported weights, so the runtime stays a plain linear model.
   Optionally (``TrainParams.word_vectors``) a word-vector channel is added: a logistic regression
   on the mean of distilled word vectors (``embed``), folded into one score per word.
4. Writes gzipped JSON, deterministically: sorted keys and word list, weights rounded to
   ``WEIGHT_DIGITS`` decimals, zero weights dropped, gzip header without time stamp or file name.
5. Prints the held-out figures of the written file, scored by the runtime code, under each case
   form. The full report (out-of-domain sets, baselines, speed) is ``python -m bench.clickbait``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, diags
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

import service.headline_model
from service.headline_model import features as ft
from service.headline_model.model import (
    DEFAULT_MODEL_NAME,
    MODEL_FORMAT,
    MODEL_FORMAT_VERSION,
    ClickbaitModel,
    encode_model,
)

from .corpus import corpus_digest, load_corpus, split_corpus
from .embed import DEFAULT_OUT as WORD_VECTORS
from .embed import file_digest, load_word_vectors
from .evaluate import evaluate_model
from .params import TrainParams
from .words import build_word_list

DEFAULT_OUT = Path(service.headline_model.__file__).resolve().parent / DEFAULT_MODEL_NAME
WEIGHT_DIGITS = 5


def _matrix(rows: Sequence[dict[str, float]], index: dict[str, int]) -> csr_matrix:
    indptr, indices, data = [0], [], []
    for row in rows:
        for name in sorted(row):
            column = index.get(name)
            if column is not None:
                indices.append(column)
                data.append(row[name])
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), len(index)), dtype=np.float64)


def _log_count_ratio(
    present: csr_matrix, labels: np.ndarray, alpha: float, weight: np.ndarray | None = None
) -> np.ndarray:
    """Per feature, log of how much more often (smoothed) clickbait headlines have it than news
    (each headline counted ``weight`` times when weights are given)."""
    if weight is None:
        clickbait = alpha + np.asarray(present[labels == 1].sum(axis=0)).ravel()
        news = alpha + np.asarray(present[labels == 0].sum(axis=0)).ravel()
    else:
        clickbait = alpha + present[labels == 1].T @ weight[labels == 1]
        news = alpha + present[labels == 0].T @ weight[labels == 0]
    return np.log((clickbait / clickbait.sum()) / (news / news.sum()))


def _naive_bayes(
    matrix: csr_matrix, labels: np.ndarray, channel: np.ndarray, params: TrainParams, weight: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """The naive-Bayes channel: per-feature weights on presence (0/1) and a bias, already scaled.

    A multinomial naive Bayes over the presence of word n-grams, shapes and cues (``channel``
    marks those columns; character n-grams and statistics stay out). Added to the NB-LR score, it
    keeps weight on many weak features that the logistic regression zeroes out, which carried
    better to headlines from other sources than either model alone.
    """
    if not params.nb_channel:
        return np.zeros(matrix.shape[1]), 0.0
    columns = np.flatnonzero(channel)
    ratio = np.zeros(matrix.shape[1])
    present = (matrix[:, columns] > 0).astype(np.float64)
    ratio[columns] = _log_count_ratio(present, labels, params.nb_channel_alpha, weight)
    bias = float(np.log((labels == 1).sum() / (labels == 0).sum()))
    return params.nb_channel * ratio, params.nb_channel * bias


def _fit(
    matrix: csr_matrix, labels: np.ndarray, params: TrainParams, weight: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """Weights and intercept of a logistic regression on NB-scaled features (NB-LR).

    Each feature is first multiplied by its smoothed log-count ratio between the classes (how much
    more often clickbait headlines have it), so the L2 penalty shrinks uninformative features
    harder; the returned weights have that scaling folded in and apply to the unscaled features.
    """
    ratio = _log_count_ratio((matrix > 0).astype(np.float64), labels, params.nb_alpha, weight)
    model = LogisticRegression(C=params.C, solver="lbfgs", max_iter=10_000, tol=1e-6)
    model.fit(matrix @ diags(ratio), labels, sample_weight=weight)
    return model.coef_[0] * ratio, float(model.intercept_[0])


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def _platt(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Slope and offset of the sigmoid that maps raw scores to calibrated probabilities."""
    calibrator = LogisticRegression(C=1e6, solver="lbfgs", max_iter=10_000, tol=1e-10)
    calibrator.fit(scores.reshape(-1, 1), labels)
    return float(calibrator.coef_[0, 0]), float(calibrator.intercept_[0])


def mean_word_vectors(
    headlines: Sequence[str], words: Sequence[str], vectors: np.ndarray, quotations: int = 0
) -> np.ndarray:
    """Per headline, the mean vector of its tokens that have one (zeros when none has): the same
    tokens, and the same mean, as ``ClickbaitModel.word_vector_score`` uses at run time."""
    index = {word: i for i, word in enumerate(words)}
    out = np.zeros((len(headlines), vectors.shape[1]))
    for row, headline in enumerate(headlines):
        found = [index[token] for token in ft.words_of(headline, quotations) if token in index]
        if found:
            out[row] = vectors[found].mean(axis=0)
    return out


def _word_vector_channel(
    means: np.ndarray, labels: np.ndarray, params: TrainParams, weight: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """The word-vector channel: a logistic regression of its own on the headlines' mean word
    vectors, weighted by ``params.word_vectors`` (fitted jointly with the n-grams it got almost no
    weight: those fit the corpus better, not other sources)."""
    if not params.word_vectors:
        return np.zeros(means.shape[1]), 0.0
    model = LogisticRegression(C=params.word_vectors_C, solver="lbfgs", max_iter=10_000, tol=1e-6)
    model.fit(means, labels, sample_weight=weight)
    return params.word_vectors * model.coef_[0], params.word_vectors * float(model.intercept_[0])


def train_model(
    headlines: Sequence[str],
    labels: Sequence[int],
    params: TrainParams | None = None,
    training_info: dict[str, Any] | None = None,
    weights: Sequence[float] | None = None,
) -> dict[str, Any]:
    """Fit on ``headlines`` (1 = clickbait) and return the model file's JSON object.

    ``weights`` (experiments only; the shipped model has none) counts each headline that many
    times in the fitted parts; the calibration stays unweighted, so probabilities keep their meaning.

    BLAS runs on one thread: its results change in the last bits with the number of threads,
    enough to flip the fifth decimal of some weights, and the file must not depend on the machine's
    core count (it still depends on the library versions and the CPU's kernels).
    """
    with threadpool_limits(limits=1):
        weight = None if weights is None else np.asarray(weights, dtype=np.float64)
        return _train_model(headlines, labels, params or TrainParams(), training_info, weight)


def _train_model(
    headlines: Sequence[str],
    labels: Sequence[int],
    params: TrainParams,
    training_info: dict[str, Any] | None,
    weight: np.ndarray | None,
) -> dict[str, Any]:
    y = np.asarray(labels, dtype=np.int64)
    words = build_word_list(headlines, params)
    vocabulary = frozenset(words)
    rows = [ft.vectorise(h, vocabulary, params.features) for h in headlines]
    document_frequency = Counter(name for row in rows for name in row)
    names = sorted(name for name, df in document_frequency.items() if df >= params.min_feature_df)
    index = {name: i for i, name in enumerate(names)}
    matrix = _matrix(rows, index)
    channel = np.array([not name.startswith((ft.CHAR_PREFIX, ft.STAT_PREFIX)) for name in names])
    vector_words, vectors = load_word_vectors(WORD_VECTORS) if params.word_vectors else ([], np.zeros((0, 0)))
    means = (
        mean_word_vectors(headlines, vector_words, vectors, params.features.quotations)
        if params.word_vectors
        else np.zeros((len(y), 0))
    )

    def fit(fit_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """Linear weights (on feature values), presence weights (NB channel), the word-vector
        channel's weights (on mean vectors) and one intercept."""
        rows_weight = None if weight is None else weight[fit_rows]
        weights, intercept = _fit(matrix[fit_rows], y[fit_rows], params, rows_weight)
        presence, bias = _naive_bayes(matrix[fit_rows], y[fit_rows], channel, params, rows_weight)
        vector_weights, vector_bias = _word_vector_channel(means[fit_rows], y[fit_rows], params, rows_weight)
        return weights, presence, vector_weights, intercept + bias + vector_bias

    folds = StratifiedKFold(n_splits=params.calibration_folds, shuffle=True, random_state=params.seed)
    out_of_fold = np.zeros(len(y))
    for fit_rows, score_rows in folds.split(np.zeros(len(y)), y):
        fold_weights, fold_presence, fold_vector, fold_intercept = fit(fit_rows)
        score = matrix[score_rows] @ fold_weights + (matrix[score_rows] > 0).astype(np.float64) @ fold_presence
        out_of_fold[score_rows] = score + means[score_rows] @ fold_vector + fold_intercept
    slope, offset = _platt(out_of_fold, y)
    offset += _logit(params.base_rate) - _logit(float(y.mean()))  # from the corpus's prior to base_rate

    final_weights, final_presence, final_vector, intercept = fit(np.arange(len(y)))
    weights, presence = _nonzero(names, final_weights), _nonzero(names, final_presence)
    # Folded per word (the mean of scores is the score of the mean), so the vectors need not ship.
    word_scores = _nonzero(vector_words, vectors @ final_vector, digits=4)
    info = dict(training_info or {})
    if params.word_vectors:
        info["word_vectors_sha256_16"] = file_digest(WORD_VECTORS)
    return {
        "format": MODEL_FORMAT,
        "format_version": MODEL_FORMAT_VERSION,
        "feature_config": params.features.to_dict(),
        "words": words,
        "weights": weights,
        "presence_weights": presence,
        "word_scores": word_scores,
        "intercept": round(intercept, WEIGHT_DIGITS),
        "calibration": {"slope": round(slope, WEIGHT_DIGITS), "offset": round(offset, WEIGHT_DIGITS)},
        "fingerprint": ft.probe_fingerprint(words, params.features),
        "training": {
            "params": params.to_dict(),
            "headlines": len(y),
            "clickbait": int(y.sum()),
            **info,
        },
    }


def _nonzero(names: Sequence[str], values: np.ndarray, digits: int = WEIGHT_DIGITS) -> dict[str, float]:
    """Name -> value rounded to ``digits`` decimals, zeros dropped (they cannot change a score)."""
    rounded = ((name, round(float(value), digits)) for name, value in zip(names, values, strict=True))
    return {name: value for name, value in rounded if value}


def write_model(spec: dict[str, Any], path: Path) -> bytes:
    data = encode_model(spec)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.clickbait.fit", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder with the two corpus files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="model file to write")
    args = parser.parse_args(argv)

    params = TrainParams()
    clickbait, news = load_corpus(args.corpus)
    split = split_corpus(clickbait, news, params)
    info = {
        "corpus_sha256_16": corpus_digest(clickbait, news),
        "corpus_headlines": len(clickbait) + len(news),
    }
    started = time.perf_counter()
    spec = train_model(split.train, split.train_labels, params, info)
    seconds = time.perf_counter() - started
    data = write_model(spec, args.out)
    model = ClickbaitModel.from_bytes(data)
    print(
        f"wrote {args.out} ({len(data):,} bytes, {len(spec['weights']):,} weights, "
        f"{len(spec['words']):,} words, version {model.version}) in {seconds:.0f} s"
    )
    for name, row in evaluate_model(model, split.test, split.test_labels)["transforms"].items():
        print(f"{name:>14}: " + "  ".join(f"{k} {v:.4f}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
