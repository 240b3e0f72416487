"""Fit the headline model on the training part of the corpus and write the model file (dev-only).

    python -m training.clickbait.fit --corpus PATH [--out service/headline_model/model.json.gz]

Same corpus and same library versions give a byte-identical file. What it does, and why:

1. Splits the corpus once (``corpus.split_corpus``); the held-out part is never trained on.
2. Builds the word list from the training part (``words``).
3. Extracts features with ``service.headline_model.features`` (the runtime's own code), scales each
   by its naive-Bayes log-count ratio and fits an L2-regularised logistic regression on that
   (NB-LR: Wang & Manning, "Baselines and Bigrams", ACL 2012), and fits Platt scaling (two numbers)
   on out-of-fold scores from a stratified k-fold of the training part, so probabilities are
   calibrated. The scaling is folded into the exported weights, so the runtime stays a plain
   linear model.
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


def _log_count_ratio(present: csr_matrix, labels: np.ndarray, alpha: float) -> np.ndarray:
    """Per feature, log of how much more often (smoothed) clickbait headlines have it than news."""
    clickbait = alpha + np.asarray(present[labels == 1].sum(axis=0)).ravel()
    news = alpha + np.asarray(present[labels == 0].sum(axis=0)).ravel()
    return np.log((clickbait / clickbait.sum()) / (news / news.sum()))


def _naive_bayes(
    matrix: csr_matrix, labels: np.ndarray, channel: np.ndarray, params: TrainParams
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
    ratio[columns] = _log_count_ratio((matrix[:, columns] > 0).astype(np.float64), labels, params.nb_channel_alpha)
    bias = float(np.log((labels == 1).sum() / (labels == 0).sum()))
    return params.nb_channel * ratio, params.nb_channel * bias


def _fit(matrix: csr_matrix, labels: np.ndarray, params: TrainParams) -> tuple[np.ndarray, float]:
    """Weights and intercept of a logistic regression on NB-scaled features (NB-LR).

    Each feature is first multiplied by its smoothed log-count ratio between the classes (how much
    more often clickbait headlines have it), so the L2 penalty shrinks uninformative features
    harder; the returned weights have that scaling folded in and apply to the unscaled features.
    """
    ratio = _log_count_ratio((matrix > 0).astype(np.float64), labels, params.nb_alpha)
    model = LogisticRegression(C=params.C, solver="lbfgs", max_iter=10_000, tol=1e-6)
    model.fit(matrix @ diags(ratio), labels)
    return model.coef_[0] * ratio, float(model.intercept_[0])


def _platt(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Slope and offset of the sigmoid that maps raw scores to calibrated probabilities."""
    calibrator = LogisticRegression(C=1e6, solver="lbfgs", max_iter=10_000, tol=1e-10)
    calibrator.fit(scores.reshape(-1, 1), labels)
    return float(calibrator.coef_[0, 0]), float(calibrator.intercept_[0])


def train_model(
    headlines: Sequence[str],
    labels: Sequence[int],
    params: TrainParams | None = None,
    training_info: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Fit on ``headlines`` (1 = clickbait) and return the model file's JSON object.

    BLAS runs on one thread: its results change in the last bits with the number of threads,
    enough to flip the fifth decimal of some weights, and the file must not depend on the machine's
    core count (it still depends on the library versions and the CPU's kernels).
    """
    with threadpool_limits(limits=1):
        return _train_model(headlines, labels, params or TrainParams(), training_info)


def _train_model(
    headlines: Sequence[str], labels: Sequence[int], params: TrainParams, training_info: dict[str, Any] | None
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

    def fit(fit_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """Linear weights (on feature values), presence weights (NB channel) and one intercept."""
        weights, intercept = _fit(matrix[fit_rows], y[fit_rows], params)
        presence, bias = _naive_bayes(matrix[fit_rows], y[fit_rows], channel, params)
        return weights, presence, intercept + bias

    folds = StratifiedKFold(n_splits=params.calibration_folds, shuffle=True, random_state=params.seed)
    out_of_fold = np.zeros(len(y))
    for fit_rows, score_rows in folds.split(np.zeros(len(y)), y):
        fold_weights, fold_presence, fold_intercept = fit(fit_rows)
        score = matrix[score_rows] @ fold_weights + (matrix[score_rows] > 0).astype(np.float64) @ fold_presence
        out_of_fold[score_rows] = score + fold_intercept
    slope, offset = _platt(out_of_fold, y)

    final_weights, final_presence, intercept = fit(np.arange(len(y)))
    weights, presence = _nonzero(names, final_weights), _nonzero(names, final_presence)
    return {
        "format": MODEL_FORMAT,
        "format_version": MODEL_FORMAT_VERSION,
        "feature_config": params.features.to_dict(),
        "words": words,
        "weights": weights,
        "presence_weights": presence,
        "intercept": round(intercept, WEIGHT_DIGITS),
        "calibration": {"slope": round(slope, WEIGHT_DIGITS), "offset": round(offset, WEIGHT_DIGITS)},
        "fingerprint": ft.probe_fingerprint(words, params.features),
        "training": {
            "params": params.to_dict(),
            "headlines": len(y),
            "clickbait": int(y.sum()),
            **(training_info or {}),
        },
    }


def _nonzero(names: Sequence[str], values: np.ndarray) -> dict[str, float]:
    """Name -> value rounded to ``WEIGHT_DIGITS``, zeros dropped (they cannot change a score)."""
    rounded = ((name, round(float(value), WEIGHT_DIGITS)) for name, value in zip(names, values, strict=True))
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
