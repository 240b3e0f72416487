"""Train the headline model with the headlines that topic alone gives away weighted down.

    python -m training.clickbait.experiments.debias --corpus DIR --ood DIR [STRENGTH ...]

Why: the corpus's two sides come from different publishers, so they also differ in what they are
about, and a model can separate them by topic words ("car", a celebrity's name) instead of by how
the headline is written; on another newsroom's copy only the writing carries over. Example
reweighting against a known bias (Clark et al., "Don't Take the Easy Way Out", EMNLP 2019; Utama et
al., EMNLP 2020) targets that: a topic-only model (a logistic regression on the headline's content
words: every word that is not a function or cue word, names included) is fitted with 5-fold
cross-fitting on the training part, and each training headline is counted ``(1 - p) ** STRENGTH``
times (normalised to a mean of 1), ``p`` being the topic model's out-of-fold probability of the
headline's true label: the headlines topic explains well teach the model less, the others more.
The calibration stays unweighted. Prints, per strength, the same figures as ``variants`` (the
out-of-domain sets are validation only: nothing is fitted on them).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from service.headline_model import features as ft
from service.headline_model.model import ClickbaitModel, encode_model

from ..corpus import load_corpus, split_corpus
from ..evaluate import load_labelled
from ..fit import train_model
from ..params import TrainParams
from .variants import scores_line


def content_words(headline: str) -> list[str]:
    """The headline's words that say what it is about: neither function/cue words nor numbers."""
    return [word for word in ft.words_of(headline) if word not in ft.FORM_WORDS]


def topic_probabilities(headlines: Sequence[str], labels: Sequence[int], seed: int) -> np.ndarray:
    """Out-of-fold probability, from content words alone, of each headline's own label."""
    y = np.asarray(labels)
    matrix = CountVectorizer(analyzer=content_words, binary=True, min_df=2).fit_transform(headlines)
    out = np.zeros(len(y))
    for fit_rows, score_rows in StratifiedKFold(5, shuffle=True, random_state=seed).split(np.zeros(len(y)), y):
        model = LogisticRegression(C=1.0, solver="lbfgs", max_iter=10_000).fit(matrix[fit_rows], y[fit_rows])
        clickbait = model.predict_proba(matrix[score_rows])[:, 1]
        out[score_rows] = np.where(y[score_rows] == 1, clickbait, 1.0 - clickbait)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--ood", type=Path, required=True)
    parser.add_argument("strengths", nargs="*", type=float, default=[0.5, 1.0])
    args = parser.parse_args(argv)

    params = TrainParams()
    split = split_corpus(*load_corpus(args.corpus), params)
    ood = {name: load_labelled(args.ood / f"{name}.tsv.gz") for name in ("reddit", "news-sites")}
    topic = topic_probabilities(split.train, split.train_labels, params.seed)
    print(f"topic-only model, out of fold on the training part: mean p(true label) {topic.mean():.3f}", flush=True)
    for strength in args.strengths:
        weights = (1.0 - topic) ** strength
        weights *= len(weights) / weights.sum()
        spec = train_model(split.train, split.train_labels, params, weights=weights.tolist())
        model = ClickbaitModel.from_bytes(encode_model(spec))
        print(f"strength {strength}: {scores_line(model, split, ood)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
