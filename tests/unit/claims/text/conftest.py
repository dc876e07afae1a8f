"""Shared inputs for the claim segmenter tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SEED_DIR = Path(os.environ.get("CLAIMTRACK_SEED_DIR", "/work/shared/seeds"))
SEED_ARTICLE = SEED_DIR / "000_8ca16fb0e6f87af9.txt"

# Written for these tests; it reports the same events as the French seed article.
ENGLISH_ARTICLE = """title: Russians cross into Kazakhstan

By AFP | Updated 10:02

About 98,000 Russians entered Kazakhstan in the week after the mobilisation was announced, \
Kazakh officials said on Tuesday.

Russia's defence ministry said only about 300,000 people with previous military service would \
be called up, but reports emerged from several regions that recruiters were rounding up men \
who did not fit that description.

"We have to look after them and keep them safe. This is a political and a humanitarian matter. \
I have told the government to take the measures that are needed," said President \
Kassym-Jomart Tokayev. Tokayev also said Kazakhstan would hold talks with Russia.

Flights out of Moscow sold out within hours, according to the travel site Aviasales, and prices \
rose by more than 25 percent.

What happens next? Read more about the war in Ukraine.
"""


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED_ARTICLE.exists():
        pytest.skip(f"seed article not found at {SEED_ARTICLE}")
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def english_text() -> str:
    return ENGLISH_ARTICLE
