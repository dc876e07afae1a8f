"""The shipped check-worthiness scorer: artefact, both modes, and figures on the dev files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from claims.evaluation import evaluate_checkworthiness, load_labelled
from claims.text.checkworthiness_model import (
    ARTEFACT_DIR,
    METADATA_FILENAME,
    WEIGHTS_FILENAME,
    CheckworthinessModel,
    Mode,
    extract_hand_features,
    hash_ngrams,
    load_model,
    read_model,
    save_artefact,
)

SHARED_DATA = Path(__file__).resolve().parents[4].parent / "shared" / "data"

# Written for these tests: each pair holds a factual claim and a sentence with none.
ENGLISH_PAIRS = [
    ("Unemployment fell to 3.5 percent last year, the lowest in fifty years.", "Thank you."),
    ("We have lost 600,000 manufacturing jobs since 2001.", "Let me finish, please."),
    ("The state spent $2 billion on prisons in 2019.", "What a beautiful evening this is."),
]
FRENCH_PAIRS = [
    ("Le chômage a baissé de 2 % en 2023 selon l'Insee.", "Merci beaucoup, bonsoir à tous."),
    ("La France a accueilli 90 millions de touristes l'an dernier.", "Je vous laisse répondre."),
]


@pytest.fixture(scope="module", params=[Mode.FAST, Mode.ACCURATE])
def model(request: pytest.FixtureRequest) -> CheckworthinessModel:
    return load_model(request.param)


def test_artefact_is_small_and_documents_itself() -> None:
    weights = ARTEFACT_DIR / WEIGHTS_FILENAME
    metadata = json.loads((ARTEFACT_DIR / METADATA_FILENAME).read_text(encoding="utf-8"))

    assert weights.stat().st_size < 500_000
    assert {"version", "training_recipe", "data_credit", "embedding_model"} <= set(metadata)
    assert "10.5281/zenodo.3609356" in metadata["data_credit"]
    assert set(metadata["thresholds"]) == {"accurate", "fast"}


def test_load_model_is_cached() -> None:
    assert load_model("fast") is load_model(Mode.FAST)


def test_scores_are_probabilities_one_per_sentence(model: CheckworthinessModel) -> None:
    sentences = [s for pair in ENGLISH_PAIRS for s in pair]

    scores = model.score(sentences)

    assert len(scores) == len(sentences)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert model.score([]) == []


def test_score_refuses_a_bare_string(model: CheckworthinessModel) -> None:
    with pytest.raises(TypeError):
        model.score("Unemployment fell.")


def test_claims_outscore_small_talk_in_english(model: CheckworthinessModel) -> None:
    for claim, small_talk in ENGLISH_PAIRS:
        claim_score, other_score = model.score([claim, small_talk])
        assert claim_score > other_score, (claim, small_talk)
    assert model.predict([ENGLISH_PAIRS[0][0], "Thank you."]) == [True, False]


def test_accurate_mode_transfers_to_french_without_french_training() -> None:
    model = load_model(Mode.ACCURATE)
    for claim, small_talk in FRENCH_PAIRS:
        claim_score, other_score = model.score([claim, small_talk])
        assert claim_score > model.threshold > other_score, (claim, small_talk)


def test_scores_do_not_depend_on_batch_company(model: CheckworthinessModel) -> None:
    alone = model.score([ENGLISH_PAIRS[1][0]])
    batched = model.score([ENGLISH_PAIRS[0][0], ENGLISH_PAIRS[1][0]])

    assert alone[0] == pytest.approx(batched[1], abs=1e-6)


def test_hashing_is_stable_and_in_range() -> None:
    buckets = hash_ngrams("We've run up more debt than ever.", 1024)

    assert np.array_equal(buckets, hash_ngrams("We've run up more debt than ever.", 1024))
    assert buckets.min() >= 0
    assert buckets.max() < 1024
    assert len(hash_ngrams("", 1024)) == 0


def test_hand_features_spot_numbers_pronouns_and_questions() -> None:
    features = extract_hand_features(["We spent 5 million dollars?", "Bonsoir."])

    assert features.shape == (2, 7)
    assert features[0, [0, 1, 3, 5]].tolist() == [1.0, 1.0, 1.0, 1.0]
    assert features[1, [0, 1, 3, 4, 5]].tolist() == [0.0] * 5


def test_saved_artefact_reads_back_the_same_scores(tmp_path: Path) -> None:
    shipped = load_model(Mode.FAST)
    save_artefact({Mode.FAST: shipped}, {"version": "test"}, tmp_path)

    copy = read_model(Mode.FAST, tmp_path)

    sentences = [ENGLISH_PAIRS[0][0], "Thank you."]
    assert copy.score(sentences) == pytest.approx(shipped.score(sentences), abs=1e-3)
    assert copy.threshold == shipped.threshold
    with pytest.raises(ValueError, match="no accurate model"):
        read_model(Mode.ACCURATE, tmp_path)


def dev_examples(name: str):  # type: ignore[no-untyped-def]
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"labelled data not found at {path} (../shared/data next to the repo)")
    return load_labelled(path)


@pytest.mark.parametrize(
    ("name", "floor"), [("checkworthy_en_dev.jsonl", 0.85), ("claim_en_tweets_dev.jsonl", 0.78)]
)
def test_fast_mode_keeps_its_dev_figures(name: str, floor: float) -> None:
    model = load_model(Mode.FAST)

    report = evaluate_checkworthiness(dev_examples(name), model.score, model.threshold)

    assert report.f1 >= floor


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "floor"), [("checkworthy_en_dev.jsonl", 0.87), ("claim_en_tweets_dev.jsonl", 0.80)]
)
def test_accurate_mode_keeps_its_dev_figures(name: str, floor: float) -> None:
    model = load_model(Mode.ACCURATE)

    report = evaluate_checkworthiness(dev_examples(name), model.score, model.threshold)

    assert report.f1 >= floor
