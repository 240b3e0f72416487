"""The training corpus: read it, fingerprint it, and split it once into training and held-out parts.

Corpus: the public repository ``bhargaviparanjape/clickbait``, files ``dataset/clickbait_data.gz``
and ``dataset/non_clickbait_data.gz`` (MIT licence, copyright 2016 Abhijnan Chakraborty, Bhargavi
Paranjape, Sourya Kakarla, Niloy Ganguly), from Chakraborty et al., "Stop Clickbait: Detecting and
Preventing Clickbaits in Online News Media", ASONAM 2016. A corpus folder holds those two files (any
blank lines are skipped), or copies named ``clickbait.txt.gz`` / ``non_clickbait.txt.gz``.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sklearn.model_selection import train_test_split

from .params import TrainParams

CORPUS_FILES = {
    "clickbait": ("clickbait.txt.gz", "clickbait_data.gz"),
    "news": ("non_clickbait.txt.gz", "non_clickbait_data.gz"),
}


def _read_lines(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip()]


def load_corpus(folder: Path) -> tuple[list[str], list[str]]:
    """The clickbait and the news headlines of the corpus folder, in file order."""
    found: dict[str, list[str]] = {}
    for label, names in CORPUS_FILES.items():
        for name in names:
            if (folder / name).is_file():
                found[label] = _read_lines(folder / name)
                break
        else:
            raise FileNotFoundError(f"{folder} has none of {', '.join(names)}")
    return found["clickbait"], found["news"]


def corpus_digest(clickbait: Sequence[str], news: Sequence[str]) -> str:
    digest = hashlib.sha256()
    for label, lines in (("clickbait", clickbait), ("news", news)):
        digest.update(label.encode())
        for line in lines:
            digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Split:
    train: list[str]
    train_labels: list[int]
    test: list[str]
    test_labels: list[int]


def split_corpus(clickbait: Sequence[str], news: Sequence[str], params: TrainParams | None = None) -> Split:
    """Stratified, seeded train/held-out split (1 = clickbait).

    Nothing downstream trains on the held-out part: not the word list, not the calibration.
    """
    params = params or TrainParams()
    headlines = list(clickbait) + list(news)
    labels = [1] * len(clickbait) + [0] * len(news)
    train, test, train_labels, test_labels = train_test_split(
        headlines, labels, test_size=params.test_fraction, random_state=params.seed, stratify=labels
    )
    return Split(list(train), list(train_labels), list(test), list(test_labels))
