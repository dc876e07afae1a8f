"""Earlier fact-checks: ClaimReview feeds imported into the database and found by full-text
search, and, with an API key, the Google Fact Check Tools `claims:search` API."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from claims.errors import InvalidInputError, NotFoundError
from claims.evidence.base import ClaimQuery, Found
from claims.evidence.http import ProviderHttp
from claims.library import fold, passage_keywords, search_terms
from claims.models import FactCheck

# Textual ratings mapped onto 0 (false) .. 1 (true); longer phrases are tried first.
_RATING_WORDS = {
    "pants on fire": 0.0,
    "mostly false": 0.25,
    "plutôt faux": 0.25,
    "mostly true": 0.75,
    "plutôt vrai": 0.75,
    "half true": 0.5,
    "partly false": 0.35,
    "partiellement faux": 0.35,
    "partly true": 0.6,
    "partiellement vrai": 0.6,
    "missing context": 0.4,
    "manque de contexte": 0.4,
    "misleading": 0.2,
    "trompeur": 0.2,
    "mixed": 0.5,
    "mixture": 0.5,
    "exaggerated": 0.3,
    "exagéré": 0.3,
    "incorrect": 0.0,
    "inexact": 0.0,
    "false": 0.0,
    "faux": 0.0,
    "fausse": 0.0,
    "fake": 0.0,
    "wrong": 0.0,
    "true": 1.0,
    "vrai": 1.0,
    "correct": 1.0,
    "accurate": 1.0,
    "exact": 1.0,
}
_RATINGS = sorted(((fold(k), v) for k, v in _RATING_WORDS.items()), key=lambda kv: -len(kv[0]))


def rating_score(textual: str | None) -> float | None:
    """Map a textual rating ('Mostly false', 'Faux') onto 0 .. 1, None when unknown."""
    if not textual:
        return None
    folded = fold(textual)
    for phrase, value in _RATINGS:
        if re.search(rf"\b{re.escape(phrase)}\b", folded):
            return value
    return None


@dataclass(frozen=True, slots=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    skipped: int

    def __str__(self) -> str:
        return (
            f"{self.added} fact-checks added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped"
        )


def parse_feed(data: bytes | str, origin: str) -> list[dict[str, Any]]:
    """Parse a ClaimReview JSON-LD feed (an array, one object, a @graph or a DataFeed) into
    fact-check fields; InvalidInputError when it is not JSON or holds no ClaimReview."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"{origin} is not valid JSON: {exc}") from None
    reviews = list(_claim_reviews(document))
    if not reviews:
        raise InvalidInputError(f"{origin} holds no ClaimReview items")
    return [_fields(review, origin) for review in reviews]


def _claim_reviews(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _claim_reviews(item)
    elif isinstance(node, dict):
        kind = node.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "ClaimReview" in kinds:
            yield node
            return
        for key in ("@graph", "dataFeedElement", "item", "itemListElement", "mainEntity"):
            if key in node:
                yield from _claim_reviews(node[key])


def _name(node: Any) -> str | None:
    if isinstance(node, list):
        names = [n for n in (_name(item) for item in node) if n]
        return ", ".join(names) or None
    if isinstance(node, dict):
        value = node.get("name") or node.get("alternateName")
        return str(value).strip() if value else None
    return str(node).strip() if node else None


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _fields(review: dict[str, Any], origin: str) -> dict[str, Any]:
    rating = review.get("reviewRating") if isinstance(review.get("reviewRating"), dict) else {}
    textual = rating.get("alternateName") or rating.get("name")
    value, best, worst = (
        _number(rating.get("ratingValue")),
        _number(rating.get("bestRating")),
        _number(rating.get("worstRating")),
    )
    normalised = None
    if value is not None and best is not None and worst is not None and best != worst:
        normalised = max(0.0, min(1.0, (value - worst) / (best - worst)))
    if normalised is None:
        normalised = rating_score(str(textual) if textual else None)
    item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
    language = review.get("inLanguage")
    if isinstance(language, dict):
        language = language.get("alternateName") or language.get("name")
    return {
        "url": str(review.get("url") or "").strip(),
        "claim_reviewed": str(review.get("claimReviewed") or "").strip(),
        "rating": str(textual)[:200] if textual else None,
        "rating_value": normalised,
        "publisher": (_name(review.get("author")) or "")[:300] or None,
        "published": str(review.get("datePublished") or "")[:32] or None,
        "claimant": (_name(item.get("author")) or "")[:300] or None,
        "language": str(language)[:12] if language else None,
        "review_body": str(review.get("reviewBody") or "").strip() or None,
        "origin": origin[:2000],
    }


def import_fact_checks(session: Session, items: list[dict[str, Any]]) -> ImportResult:
    """Store parsed fact-checks, one per review URL: a URL seen before is updated, not doubled."""
    added = updated = unchanged = skipped = 0
    seen: set[str] = set()
    for fields in items:
        url, claim_reviewed = fields["url"], fields["claim_reviewed"]
        if not url.startswith(("http://", "https://")) or not claim_reviewed or url in seen:
            skipped += 1
            continue
        seen.add(url)
        language = fields["language"] or "en"
        keywords = passage_keywords(claim_reviewed, language)
        row = session.scalar(select(FactCheck).where(FactCheck.url == url))
        if row is None:
            session.add(FactCheck(**fields, keywords=keywords))
            added += 1
            continue
        changed = False
        for key, value in {**fields, "keywords": keywords}.items():
            if key != "origin" and getattr(row, key) != value:
                setattr(row, key, value)
                changed = True
        updated += changed
        unchanged += not changed
    session.flush()
    return ImportResult(added, updated, unchanged, skipped)


def load_feed_file(session: Session, path: Path, *, max_bytes: int = 20_000_000) -> ImportResult:
    """Import the ClaimReview feed in the file at `path`."""
    if not path.is_file():
        raise NotFoundError(f"no such file: {path}")
    if path.stat().st_size > max_bytes:
        raise InvalidInputError(f"{path} is larger than the limit of {max_bytes} bytes")
    return import_fact_checks(session, parse_feed(path.read_bytes(), path.name))


def search_fact_checks(
    session: Session, terms: list[str], *, limit: int = 10
) -> list[tuple[FactCheck, float]]:
    """Fact-checks whose reviewed claim matches any of `terms`, best first."""
    terms = search_terms(terms)
    if not terms:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        sql = (
            "SELECT rowid, -bm25(fact_checks_fts) AS rank FROM fact_checks_fts "
            "WHERE fact_checks_fts MATCH :query ORDER BY rank DESC LIMIT :limit"
        )
        query = " OR ".join(f'"{t}"' for t in terms)
    elif dialect == "postgresql":
        sql = (
            "SELECT id, ts_rank_cd(search_vector, to_tsquery('simple', :query)) AS rank "
            "FROM fact_checks WHERE search_vector @@ to_tsquery('simple', :query) "
            "ORDER BY rank DESC LIMIT :limit"
        )
        query = " | ".join(terms)
    else:
        raise NotImplementedError(f"full-text search is not available on {dialect}")
    ranks = {
        row[0]: float(row[1])
        for row in session.execute(text(sql), {"query": query, "limit": limit})
    }
    if not ranks:
        return []
    rows = session.scalars(select(FactCheck).where(FactCheck.id.in_(ranks))).all()
    return sorted(((r, ranks[r.id]) for r in rows), key=lambda rr: -rr[1])


def _found(
    provider: str,
    *,
    url: str,
    claim_reviewed: str,
    rating: str | None,
    rating_value: float | None,
    publisher: str | None,
    published: str | None,
    claimant: str | None,
    language: str | None,
    rank: float = 0.0,
) -> Found:
    who = publisher or "an earlier fact-check"
    title = f"{who} fact-check" + (f" (rated {rating!r})" if rating else "")
    return Found(
        provider=provider,
        key=url,
        title=title[:500],
        text=claim_reviewed,
        url=url,
        language=language,
        published=published,
        rank=rank,
        details={
            "kind": "fact-check",
            "claim_reviewed": claim_reviewed,
            "rating": rating,
            "rating_value": rating_value,
            "publisher": publisher,
            "date": published,
            "claimant": claimant,
        },
    )


class FactCheckProvider:
    """Fact-checks imported from ClaimReview feeds."""

    name: ClassVar[str] = "factchecks"
    version: ClassVar[str] = "1"

    def __init__(self, limit: int = 5) -> None:
        self.limit = limit

    def search(self, session: Session, query: ClaimQuery) -> list[Found]:
        terms = [*query.key_terms(), *query.number_tokens()]
        terms += [w for entity in query.entities for w in entity.split()]
        return [
            _found(
                self.name,
                url=row.url,
                claim_reviewed=row.claim_reviewed,
                rating=row.rating,
                rating_value=row.rating_value,
                publisher=row.publisher,
                published=row.published,
                claimant=row.claimant,
                language=row.language,
                rank=rank,
            )
            for row, rank in search_fact_checks(session, terms, limit=self.limit)
        ]


class FactCheckApiProvider:
    """Google Fact Check Tools `claims:search` (or any server speaking its protocol)."""

    name: ClassVar[str] = "factcheck_api"
    version: ClassVar[str] = "1"

    def __init__(self, url: str, api_key: str, *, page_size: int = 5) -> None:
        self.url, self.api_key, self.page_size = url, api_key, page_size

    def cache_key(self, query: ClaimQuery) -> str:
        return f"{self.url}|{query.language}|{query.search_text()}"

    async def search(self, query: ClaimQuery, http: ProviderHttp) -> list[Found]:
        answer = await http.get_json(
            self.url,
            {
                "query": query.search_text(),
                "languageCode": query.language,
                "pageSize": self.page_size,
                "key": self.api_key,
            },
        )
        if not isinstance(answer, dict) or not isinstance(answer.get("claims", []), list):
            raise InvalidInputError("the fact-check API answered JSON without a claims list")
        found: list[Found] = []
        for claim in answer.get("claims", []):
            if not isinstance(claim, dict):
                continue
            for review in claim.get("claimReview") or []:
                if not isinstance(review, dict) or not review.get("url"):
                    continue
                textual = review.get("textualRating")
                found.append(
                    _found(
                        self.name,
                        url=str(review["url"]),
                        claim_reviewed=str(claim.get("text") or review.get("title") or ""),
                        rating=str(textual) if textual else None,
                        rating_value=rating_score(textual),
                        publisher=_name(review.get("publisher")),
                        published=str(review.get("reviewDate") or "")[:10] or None,
                        claimant=str(claim.get("claimant") or "") or None,
                        language=review.get("languageCode"),
                    )
                )
        return found
