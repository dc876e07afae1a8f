"""What every evidence provider shares: the query built from a claim, what a provider finds,
and the two kinds of provider (local ones read the database, remote ones speak HTTP)."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from claims.evidence.http import ProviderHttp
    from claims.models import Claim

MAX_SOURCE_KEY = 200


@dataclass(frozen=True, slots=True)
class ClaimQuery:
    """The parts of a claim that providers search with."""

    text: str
    language: str
    quantities: tuple[dict[str, Any], ...] = ()
    entities: tuple[str, ...] = ()
    speaker: str | None = None

    @classmethod
    def from_claim(cls, claim: Claim) -> ClaimQuery:
        """Build the query of a stored claim."""
        return cls(
            text=claim.text,
            language=claim.language,
            quantities=tuple(claim.quantities or ()),
            entities=tuple(claim.entities or ()),
            speaker=claim.speaker,
        )

    def key_terms(self) -> list[str]:
        """The claim's folded content words."""
        from claims.verdicts import key_terms

        return key_terms(self.text)

    def number_tokens(self) -> list[str]:
        """The claim's figures (years excepted) as the library indexes them: plain digits."""
        from claims.library import number_token

        return [number_token(float(q["value"])) for q in self.quantities]

    def search_text(self, limit: int = 8) -> str:
        """A short keyword query for a remote search engine: names first, then figures and key
        terms."""
        words: list[str] = []
        for part in [*self.entities, *self.number_tokens(), *self.key_terms()]:
            if part.lower() not in (w.lower() for w in words):
                words.append(part)
        return " ".join(words[:limit])


@dataclass(frozen=True, slots=True)
class Found:
    """One source a provider found for a claim, with the text to assess."""

    provider: str
    key: str  # identifies the source within the provider, e.g. a URL
    title: str
    text: str
    url: str | None = None
    language: str | None = None
    published: str | None = None
    passage_id: int | None = None
    rank: float = 0.0
    # Provider details a reviewer sees: a fact-check's rating, publisher and claimant.
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def source_key(self) -> str:
        """The key as stored on an evidence row (a hash when the key is too long)."""
        if len(self.key) <= MAX_SOURCE_KEY:
            return self.key
        return "sha256:" + hashlib.sha256(self.key.encode()).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Found:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


class LocalProvider(Protocol):
    """A provider that searches our own database; it runs in the checking thread."""

    name: ClassVar[str]
    version: ClassVar[str]

    def search(self, session: Session, query: ClaimQuery) -> list[Found]: ...


class RemoteProvider(Protocol):
    """A provider that asks a remote service over HTTP; all of a claim's run concurrently."""

    name: ClassVar[str]
    version: ClassVar[str]

    def cache_key(self, query: ClaimQuery) -> str:
        """The text that identifies the request, so equal queries share a cached answer."""
        ...

    async def search(self, query: ClaimQuery, http: ProviderHttp) -> list[Found]: ...
