"""Train, calibrate, evaluate and export the clickbait headline model (dev-only: needs scikit-learn).

    python -m service.headline_model.train --corpus /path/to/clickbait-corpus \\
        [--out service/headline_model/model.json.gz] [--report bench/results/clickbait.md]

Corpus: the public repository ``bhargaviparanjape/clickbait``, files ``dataset/clickbait_data.gz``
and ``dataset/non_clickbait_data.gz`` (MIT licence, copyright 2016 Abhijnan Chakraborty, Bhargavi
Paranjape, Sourya Kakarla, Niloy Ganguly), from Chakraborty et al., "Stop Clickbait: Detecting and
Preventing Clickbaits in Online News Media", ASONAM 2016. ``--corpus`` is a folder holding those two
files (any blank lines are skipped), or copies named ``clickbait.txt.gz`` / ``non_clickbait.txt.gz``.
The corpus is only needed here; the service ships the exported model.

What it does, and why:

1. Splits the corpus once, stratified with a fixed seed, into a training part and a held-out part
   that nothing below ever trains on (not even the word list or the calibration).
2. Builds the word list from the training part: words in at least ``min_word_df`` headlines, minus
   publisher names, identity terms and proper-noun-like words. A word is proper-noun-like when, in
   the training headlines written in sentence case (mostly the news side), it is capitalised
   mid-headline at least ``name_min_capitalised`` times and at least ``name_ratio`` times as often
   as it is written in lower case; common given names and their usual neighbours count too.
   Capitalisation is used only to *exclude* words here; the model never sees it.
3. Extracts features with :mod:`service.headline_model.features` (the runtime's own code), scales each
   by its naive-Bayes log-count ratio and fits an L2-regularised logistic regression on that
   (NB-LR: Wang & Manning, "Baselines and Bigrams", ACL 2012), and fits Platt scaling (two numbers)
   on out-of-fold scores from a stratified k-fold of the training part, so probabilities are
   calibrated. The scaling is folded into the exported weights, so the runtime stays a plain
   linear model.
4. Writes gzipped JSON, deterministically: sorted keys and word list, weights rounded to
   ``WEIGHT_DIGITS`` decimals, zero weights dropped, gzip header without time stamp or file name.
   Same corpus and same library versions give a byte-identical file.
5. Evaluates the exported model through the runtime code on the held-out part, as written and with
   every headline changed to lower case, Title Case and sentence case, and compares with plain word
   plus character n-gram baselines trained on the same split.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, diags
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    brier_score_loss,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedKFold, train_test_split

from . import features as ft
from .model import DEFAULT_MODEL_NAME, MODEL_FORMAT, MODEL_FORMAT_VERSION, ClickbaitModel, encode_model

DEFAULT_OUT = Path(__file__).resolve().parent / DEFAULT_MODEL_NAME
CORPUS_FILES = {
    "clickbait": ("clickbait.txt.gz", "clickbait_data.gz"),
    "news": ("non_clickbait.txt.gz", "non_clickbait_data.gz"),
}
WEIGHT_DIGITS = 5
# Published baseline on the full corpus (their best classifier, an SVM), for the report.
PAPER_BASELINE = {"accuracy": 0.93, "precision": 0.95, "recall": 0.90, "f1": 0.93, "roc_auc": 0.97}

# Common given names (English-language and some international ones). On the Title Case side of the
# corpus capitals tell nothing, so these seed the name detector there: "donald" is dropped, and then
# "trump", which stands next to it in most of its occurrences, is dropped as a neighbour.
FIRST_NAMES = frozenset(
    """
    aaron abby adam adrian aidan alan albert alex alexander alexandra alice alicia allison amanda amy
    andrea andrew andy angela angelina anna anne anthony ariana arnold ashley austin barack barbara ben
    benedict benjamin bernie beth betty beyonce bill billy blake bob bobby brad bradley brandon brian
    britney brittany brooke bruce bryan caitlyn cameron carl carlos caroline carrie catherine charles
    charlie charlotte chelsea chris christian christina christine christopher cindy claire colin
    connor courtney craig cristiano daniel danielle danny dave david deborah demi denise dennis derek
    diana diane donald donna doug dwayne dylan ed eddie edward elizabeth ellen elon emily emma eric
    erin ethan eva evan frank fred gary george gordon greg gwyneth hannah harrison harry heather
    heidi helen henry hillary hugh ian isaac jack jackie jacob jake james jamie jane janet jason jay
    jeff jeffrey jennifer jenny jeremy jerry jesse jessica jim jimmy joan joe joel john johnny jon
    jonathan jordan jose joseph josh joshua julia julian julie justin kanye karen kate katherine
    katie katy keanu keith kelly ken kendall kevin khloe kim kourtney kris kristen kyle kylie larry
    laura lauren leonardo liam lily linda lindsay lisa louis lucy luke madison margaret maria mariah
    marie mario martha martin mary matt matthew megan meghan melania melissa meryl michael michelle
    miley mitt nancy natalie nathan neil nicholas nick nicole nikki noah oliver olivia oprah patrick
    paul paula peter philip rachel ralph randy rebecca richard rick rihanna rob robert robin ronald
    rose ross ruby russell ryan sam samantha samuel sandra sara sarah scott sean selena serena seth
    sharon shawn simon sophia sophie stephanie stephen steve steven susan taylor ted terry thomas tim
    timothy tina todd tom tommy tony tyler vanessa victoria vincent walter wayne william zach zac
    zayn zoe
    """.split()
)

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


@dataclass(frozen=True)
class TrainParams:
    """Everything that decides the model besides the corpus; recorded in the model file."""

    seed: int = 2016
    test_fraction: float = 0.2
    calibration_folds: int = 5
    C: float = 5.0  # inverse L2 strength, on the NB-scaled feature vectors
    nb_alpha: float = 1.0  # smoothing of the per-feature log-count ratios (NB-LR, Wang & Manning 2012)
    min_word_df: int = 3
    min_feature_df: int = 5
    name_min_capitalised: int = 2
    name_ratio: float = 3.0
    name_neighbour_share: float = 0.5
    sentence_case_max_capitalised: float = 0.34  # share of capitalised non-initial words
    features: ft.FeatureConfig = field(default_factory=ft.FeatureConfig)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["features"] = self.features.to_dict()
        return data


# --- corpus -------------------------------------------------------------------------------------


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


def split_corpus(clickbait: Sequence[str], news: Sequence[str], params: TrainParams) -> Split:
    """Stratified, seeded train/held-out split (1 = clickbait)."""
    headlines = list(clickbait) + list(news)
    labels = [1] * len(clickbait) + [0] * len(news)
    train, test, train_labels, test_labels = train_test_split(
        headlines, labels, test_size=params.test_fraction, random_state=params.seed, stratify=labels
    )
    return Split(list(train), list(train_labels), list(test), list(test_labels))


# --- word list ----------------------------------------------------------------------------------


def proper_noun_like(headlines: Sequence[str], params: TrainParams) -> set[str]:
    """Words that look like names, judged from capitalisation in sentence-case headlines.

    First the words those headlines capitalise mid-headline far more often than not, and the common
    given names; then, because the clickbait side is all Title Case and says nothing by its
    capitals, the words never written in lower case there that stand next to such a name in most
    of their occurrences ("swift" after "taylor"). The model never sees capitalisation: it only
    decides what to leave out.
    """
    capitalised: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    for headline in headlines:
        words = _WORD.findall(headline)
        if len(words) < 4:
            continue
        rest = words[1:]
        if sum(w[0].isupper() for w in rest) > params.sentence_case_max_capitalised * len(rest):
            continue  # Title Case: capitals say nothing about the word
        for word in rest:
            (capitalised if word[0].isupper() else lower)[ft.normalise_word(word)] += 1
    names = {
        word
        for word, count in capitalised.items()
        if count >= params.name_min_capitalised
        and count >= params.name_ratio * lower[word]
        and word not in ft.KEEP_WORDS
    }
    # Given names, unless sentence-case headlines mostly write them in lower case ("will", "rose").
    names |= {word for word in FIRST_NAMES if lower[word] <= capitalised[word]}
    beside_name: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for headline in headlines:
        for clause in ft.clauses(headline):
            tokens = [token for token, _, _ in clause]
            for i, token in enumerate(tokens):
                total[token] += 1
                if (i and tokens[i - 1] in names) or (i + 1 < len(tokens) and tokens[i + 1] in names):
                    beside_name[token] += 1
    neighbours = {
        word
        for word, count in beside_name.items()
        if count >= params.name_min_capitalised
        and count >= params.name_neighbour_share * total[word]
        and not lower[word]
        and word not in ft.KEEP_WORDS
        and word != ft.NUM
    }
    return names | neighbours


def build_word_list(headlines: Sequence[str], params: TrainParams) -> list[str]:
    document_frequency = Counter(word for h in headlines for word in set(ft.words_of(h)))
    excluded = proper_noun_like(headlines, params) | ft.PUBLISHERS | ft.IDENTITY_TERMS | {ft.NUM}
    return sorted(
        word for word, df in document_frequency.items() if df >= params.min_word_df and word not in excluded
    )


# --- fitting ------------------------------------------------------------------------------------


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


def _fit(matrix: csr_matrix, labels: np.ndarray, params: TrainParams) -> tuple[np.ndarray, float]:
    """Weights and intercept of a logistic regression on NB-scaled features (NB-LR).

    Each feature is first multiplied by its smoothed log-count ratio between the classes (how much
    more often clickbait headlines have it), so the L2 penalty shrinks uninformative features
    harder; the returned weights have that scaling folded in and apply to the unscaled features.
    """
    present = (matrix > 0).astype(np.float64)
    clickbait = params.nb_alpha + np.asarray(present[labels == 1].sum(axis=0)).ravel()
    news = params.nb_alpha + np.asarray(present[labels == 0].sum(axis=0)).ravel()
    ratio = np.log((clickbait / clickbait.sum()) / (news / news.sum()))
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
    params: TrainParams = TrainParams(),
    training_info: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Fit on ``headlines`` (1 = clickbait) and return the model file's JSON object."""
    y = np.asarray(labels, dtype=np.int64)
    words = build_word_list(headlines, params)
    vocabulary = frozenset(words)
    rows = [ft.vectorise(h, vocabulary, params.features) for h in headlines]
    document_frequency = Counter(name for row in rows for name in row)
    names = sorted(name for name, df in document_frequency.items() if df >= params.min_feature_df)
    index = {name: i for i, name in enumerate(names)}
    matrix = _matrix(rows, index)

    folds = StratifiedKFold(n_splits=params.calibration_folds, shuffle=True, random_state=params.seed)
    out_of_fold = np.zeros(len(y))
    for fit_rows, score_rows in folds.split(np.zeros(len(y)), y):
        fold_weights, fold_intercept = _fit(matrix[fit_rows], y[fit_rows], params)
        out_of_fold[score_rows] = matrix[score_rows] @ fold_weights + fold_intercept
    slope, offset = _platt(out_of_fold, y)

    final_weights, intercept = _fit(matrix, y, params)
    weights = {}
    for name, weight in zip(names, final_weights, strict=True):
        rounded = round(float(weight), WEIGHT_DIGITS)
        if rounded:
            weights[name] = rounded
    return {
        "format": MODEL_FORMAT,
        "format_version": MODEL_FORMAT_VERSION,
        "feature_config": params.features.to_dict(),
        "words": words,
        "weights": weights,
        "intercept": round(intercept, WEIGHT_DIGITS),
        "calibration": {"slope": round(slope, WEIGHT_DIGITS), "offset": round(offset, WEIGHT_DIGITS)},
        "threshold": 0.5,
        "fingerprint": ft.probe_fingerprint(words, params.features),
        "training": {
            "params": params.to_dict(),
            "headlines": len(y),
            "clickbait": int(y.sum()),
            **(training_info or {}),
        },
    }


def write_model(spec: dict[str, Any], path: Path) -> bytes:
    data = encode_model(spec)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


# --- evaluation ---------------------------------------------------------------------------------


def title_case(text: str) -> str:
    return _WORD.sub(lambda m: m.group()[0].upper() + m.group()[1:].lower(), text)


def sentence_case(text: str) -> str:
    lowered = text.lower()
    return lowered[:1].upper() + lowered[1:]


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "as written": lambda text: text,
    "lower case": str.lower,
    "Title Case": title_case,
    "sentence case": sentence_case,
}


def metrics(labels: Sequence[int], probabilities: Sequence[float], threshold: float) -> dict[str, float]:
    y = np.asarray(labels)
    p = np.asarray(probabilities, dtype=np.float64)
    predicted = (p >= threshold).astype(int)
    return {
        "accuracy": float(accuracy_score(y, predicted)),
        "precision": float(precision_score(y, predicted, zero_division=0)),
        "recall": float(recall_score(y, predicted, zero_division=0)),
        "f1": float(f1_score(y, predicted, zero_division=0)),
        "roc_auc": float(roc_auc_score(y, p)),
        "brier": float(brier_score_loss(y, p)),
    }


def reliability(labels: Sequence[int], probabilities: Sequence[float], bins: int = 10) -> list[dict]:
    """Per probability bin: headlines, mean predicted probability, observed clickbait share."""
    table = []
    y = np.asarray(labels)
    p = np.asarray(probabilities, dtype=np.float64)
    which = np.minimum((p * bins).astype(int), bins - 1)
    for b in range(bins):
        members = which == b
        if members.any():
            table.append(
                {
                    "bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}",
                    "n": int(members.sum()),
                    "predicted": float(p[members].mean()),
                    "observed": float(y[members].mean()),
                }
            )
    return table


def evaluate_model(model: ClickbaitModel, split: Split) -> dict[str, Any]:
    """Held-out metrics of the runtime model under every case transform, plus reliability."""
    results: dict[str, Any] = {"transforms": {}}
    for name, transform in TRANSFORMS.items():
        probabilities = model.probabilities([transform(h) for h in split.test])
        results["transforms"][name] = metrics(split.test_labels, probabilities, model.threshold)
        if name == "as written":
            results["reliability"] = reliability(split.test_labels, probabilities)
    return results


def other_splits(
    clickbait: Sequence[str], news: Sequence[str], seeds: Sequence[int], params: TrainParams = TrainParams()
) -> dict[int, dict[str, float]]:
    """Held-out metrics (as written) of models retrained on other random splits of the same corpus.

    One split can flatter a model; the unseen test sets are other samples, so the report shows how
    much the figures move when the split changes.
    """
    results = {}
    for seed in seeds:
        split = split_corpus(clickbait, news, replace(params, seed=seed))
        model = ClickbaitModel.from_bytes(encode_model(train_model(split.train, split.train_labels, params)))
        results[seed] = metrics(split.test_labels, model.probabilities(split.test), model.threshold)
    return results


def baseline_ngram_models(split: Split) -> dict[str, dict[str, dict[str, float]]]:
    """Plain word (1-2) + character (2-5) n-gram TF-IDF logistic regression, case-sensitive and not."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    results = {}
    for label, lowercase in (("word+char n-gram LR, case-sensitive", False), ("... case-folded", True)):
        word = TfidfVectorizer(ngram_range=(1, 2), lowercase=lowercase, min_df=2, sublinear_tf=True)
        char = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), lowercase=lowercase, min_df=2, sublinear_tf=True
        )
        train = hstack([word.fit_transform(split.train), char.fit_transform(split.train)]).tocsr()
        classifier = LogisticRegression(C=10.0, max_iter=10_000).fit(train, split.train_labels)
        results[label] = {}
        for name, transform in TRANSFORMS.items():
            texts = [transform(h) for h in split.test]
            test = hstack([word.transform(texts), char.transform(texts)]).tocsr()
            probabilities = classifier.predict_proba(test)[:, 1]
            results[label][name] = metrics(split.test_labels, probabilities, 0.5)
    return results


# --- command line -------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m service.headline_model.train", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--corpus", type=Path, required=True, help="folder with the two corpus files")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="model file to write")
    parser.add_argument("--report", type=Path, help="also write the Markdown report here (needs bench/)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the n-gram baseline models")
    parser.add_argument(
        "--other-seeds",
        type=int,
        nargs="*",
        default=[1, 2, 3, 4],
        help="with --report: also retrain on the splits made with these seeds and report their figures",
    )
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

    evaluation = evaluate_model(model, split)
    for name, row in evaluation["transforms"].items():
        print(f"{name:>14}: " + "  ".join(f"{k} {v:.4f}" for k, v in row.items()))
    if args.report:
        from bench.clickbait import measure, write_report  # dev-only; run from the repository root

        baselines = {} if args.no_baseline else baseline_ngram_models(split)
        robustness = other_splits(clickbait, news, args.other_seeds, params)
        command = f"python -m service.headline_model.train --corpus {args.corpus} --report {args.report}"
        if args.out != DEFAULT_OUT:
            command += f" --out {args.out}"
        write_report(
            args.report,
            model=model,
            model_path=args.out,
            evaluation=evaluation,
            baselines=baselines,
            other_splits=robustness,
            performance=measure(args.out, split.test),
            split=split,
            command=command,
            paper=PAPER_BASELINE,
        )
        print(f"wrote {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
