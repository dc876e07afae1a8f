"""The local source library as an evidence provider.

Full-text search finds candidate passages by any of the claim's terms; they are then ranked by
what crosses languages: the claim's figures and names. So a French claim about "98 000 Russes"
and "Tokaïev" finds the English passage that states 98,000 and names Tokayev's ministry, even
though their other words differ.
"""

from __future__ import annotations

import re
from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from claims.evidence.base import ClaimQuery, Found
from claims.library import fold, search_passages
from claims.models import Passage

_WORD = re.compile(r"\w+", re.UNICODE)
CANDIDATES = 40
# Weights of a shared figure, a shared name word and the share of key terms in the ranking.
NUMBER_WEIGHT = 3.0
NAME_WEIGHT = 2.0
TERMS_WEIGHT = 2.0


class LibraryProvider:
    """Passages of the local source library."""

    name: ClassVar[str] = "library"
    version: ClassVar[str] = "2"

    def __init__(self, limit: int = 12) -> None:
        self.limit = limit

    def search(self, session: Session, query: ClaimQuery) -> list[Found]:
        terms = query.key_terms()
        numbers = set(query.number_tokens())
        names = {
            fold(word)
            for entity in query.entities
            for word in _WORD.findall(entity)
            if len(word) >= 3 or word.isdigit()
        }
        candidates = search_passages(
            session, [*terms, *sorted(numbers), *sorted(names)], limit=CANDIDATES
        )
        if not candidates:
            return []
        top_rank = max(rank for _, rank in candidates) or 1.0
        wanted = set(terms)
        scored: list[tuple[Passage, float]] = []
        for passage, rank in candidates:
            words = set(passage.keywords.split())
            score = (
                rank / top_rank
                + NUMBER_WEIGHT * len(numbers & words)
                + NAME_WEIGHT * len(names & words)
                + TERMS_WEIGHT * len(wanted & words) / (len(wanted) or 1)
            )
            scored.append((passage, score))
        scored.sort(key=lambda ps: -ps[1])
        kept = scored[: self.limit]
        # Load the sources in one query rather than one per passage.
        session.scalars(
            select(Passage)
            .where(Passage.id.in_([p.id for p, _ in kept]))
            .options(selectinload(Passage.source))
        ).all()
        return [
            Found(
                provider=self.name,
                key=f"passage:{passage.id}",
                title=passage.source.title,
                text=passage.text,
                url=passage.source.url,
                language=passage.source.language,
                published=passage.source.published,
                passage_id=passage.id,
                rank=round(score, 3),
            )
            for passage, score in kept
        ]
