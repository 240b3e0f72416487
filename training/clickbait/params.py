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
