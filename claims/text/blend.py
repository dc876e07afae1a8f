"""Blend the statistical check-worthiness model with the transparent rules into one score.

The model's probability is first rescaled so that its own decision threshold sits at 0.5, then
mixed linearly with the rule score; the mix is rescaled again so that the blend's chosen
threshold sits at 0.5 too. A claim's ``checkworthiness`` >= 0.5 thus means "keep" whatever the
mode. The weight and threshold per mode come from ``claims.text.calibrate_blend`` (training
files only) and ship in ``data/blend.json``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BLEND_FILENAME = "blend.json"
BLEND_PATH = Path(__file__).resolve().parent / "data" / BLEND_FILENAME
DECISION_POINT = 0.5


@dataclass(frozen=True, slots=True)
class BlendParameters:
    """How much the model counts against the rules, and where the blend decides."""

    model_weight: float
    threshold: float

    def to_dict(self) -> dict[str, float]:
        """Return a JSON-ready dict."""
        return {"model_weight": self.model_weight, "threshold": self.threshold}


def rescale(value: Any, pivot: float) -> Any:
    """Map [0, pivot, 1] onto [0, 0.5, 1] piecewise linearly (floats or numpy arrays)."""
    below = value * (DECISION_POINT / pivot)
    above = DECISION_POINT + (value - pivot) * (DECISION_POINT / (1.0 - pivot))
    if isinstance(value, float | int):
        return below if value < pivot else above
    import numpy as np

    return np.where(value < pivot, below, above)


def blend_raw(rule: Any, probability: Any, model_threshold: float, model_weight: float) -> Any:
    """Return the unscaled mix of a rule score and a model probability (floats or arrays)."""
    return model_weight * rescale(probability, model_threshold) + (1.0 - model_weight) * rule


def blend_score(
    rule: float, probability: float, model_threshold: float, parameters: BlendParameters
) -> float:
    """Return the blended check-worthiness in [0, 1]; >= 0.5 means check-worthy."""
    raw = blend_raw(rule, probability, model_threshold, parameters.model_weight)
    return round(min(1.0, max(0.0, float(rescale(raw, parameters.threshold)))), 2)


def load_blend(mode: str) -> BlendParameters:
    """Return the shipped blend parameters of a model mode ("fast" or "accurate")."""
    return _read_blend(BLEND_PATH)[mode]


@functools.cache
def _read_blend(path: Path) -> dict[str, BlendParameters]:
    payload = json.loads(path.read_text(encoding="utf-8"))
    return {
        mode: BlendParameters(float(values["model_weight"]), float(values["threshold"]))
        for mode, values in payload["modes"].items()
    }
