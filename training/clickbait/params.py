"""Everything that decides the headline model besides the corpus, in one record the model file keeps."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from service.headline_model import features as ft


@dataclass(frozen=True)
class TrainParams:
    """Split, word list, feature and fitting parameters; recorded in the model file."""

    seed: int = 2016
    test_fraction: float = 0.2
    calibration_folds: int = 5
    C: float = 5.0  # inverse L2 strength, on the NB-scaled feature vectors
    nb_alpha: float = 1.0  # smoothing of the per-feature log-count ratios (NB-LR, Wang & Manning 2012)
    nb_channel: float = 0.2  # weight of the naive-Bayes channel added to the NB-LR score (0 disables it)
    nb_channel_alpha: float = 0.5  # its smoothing
    # Weight of the word-vector channel added to the score (0 disables it): a logistic regression
    # on the mean of the committed distilled word vectors (embed.py) of a headline's words.
    word_vectors: float = 1.0
    word_vectors_C: float = 1.0  # its inverse L2 strength
    # Share of clickbait the probabilities are calibrated for: the Platt offset is moved from the
    # corpus's half-and-half to this prior (Potthast et al., ECIR 2016: 26 % of top US publishers'
    # tweets), so a probability means what it says on a newsroom's copy and 0.5 is "more likely
    # clickbait than not" there.
    base_rate: float = 0.25
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
