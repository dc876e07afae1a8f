"""The stance classifier: training, the artefact, and the shipped model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claims import verdicts
from claims.stance.model import (
    StanceModel,
    fit_logistic,
    load_model,
    read_model,
    save_artefact,
    train_model,
)


def test_logistic_regression_separates_a_separable_problem_with_few_rows() -> None:
    rng = np.random.default_rng(0)
    features = rng.normal(size=(40, 120))  # more features than rows: the Woodbury branch
    labels = (features[:, 0] > 0).astype(float)
    weights, bias = fit_logistic(features, labels, l2=1.0)
    predicted = (features @ weights + bias) > 0
    assert np.mean(predicted == labels.astype(bool)) == 1.0
    assert abs(weights[0]) == np.max(np.abs(weights))


def test_the_artefact_round_trips(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    design = rng.normal(size=(30, 784))
    model = train_model(design, (design[:, 3] > 0).astype(float), 10.0, {"version": "test"})
    save_artefact(model, tmp_path)
    again = read_model(tmp_path)
    assert again.version == "test"
    assert np.allclose(again.probabilities(design), model.probabilities(design), atol=1e-4)


def test_an_artefact_of_the_wrong_shape_is_refused_with_a_hint(tmp_path: Path) -> None:
    model = StanceModel(np.zeros(3), 0.0, np.zeros(3), np.ones(3), {"version": "old"})
    save_artefact(model, tmp_path)
    with pytest.raises(ValueError, match=r"rebuild it with python -m claims\.stance\.train"):
        read_model(tmp_path)


def test_the_shipped_model_carries_its_recipe_credit_and_cross_validated_figures() -> None:
    model = load_model()
    assert "DACCORD" in model.metadata["data_credit"]
    assert "claims.stance.train" in model.metadata["training_recipe"]
    assert model.metadata["calibration_out_of_fold"]["table"]
    assert {row["l2"] for row in model.metadata["cross_validation"]} >= {
        model.metadata["chosen_l2"]
    }
    # A suggestion records the method version, which names the artefact it used.
    assert verdicts.METHOD_VERSION.endswith(f"stance-{model.version}")


def test_the_shipped_model_reads_a_plain_contradiction_as_more_likely_than_a_paraphrase() -> None:
    model = load_model()
    claim = "Le centre commercial était fermé depuis des mois au moment de la frappe."
    paraphrase = "Au moment de la frappe, le centre commercial était fermé depuis plusieurs mois."
    contradiction = (
        "Le centre commercial était ouvert et des centaines de clients s'y trouvaient au moment "
        "de la frappe, selon les secours."
    )
    p_paraphrase, p_contradiction = model.contradiction(
        [(claim, paraphrase), (claim, contradiction)]
    )
    assert 0.0 <= p_paraphrase < p_contradiction <= 1.0
    assert model.contradiction([]) == []
