"""The local source library: reference documents split into passages and found by full-text search
(FTS5 on SQLite, tsvector on PostgreSQL)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from claims.errors import InvalidInputError
from claims.models import Passage, Source

_WORD = re.compile(r"\w+", re.UNICODE)
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
MAX_PASSAGE_CHARS = 1500


@dataclass(frozen=True, slots=True)
class SourceDraft:
    title: str
    text: str
    language: str
    url: str | None = None
    path: str | None = None
    published: str | None = None


def fold(word: str) -> str:
    """Lower-case `word` and strip its accents, so that 'Tokaïev' and 'tokaiev' compare equal."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def parse_source_file(path: Path) -> SourceDraft:
    """Read a source file: an optional '---' front matter (title, language, url, published),
    then the body."""
    raw = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    body = raw
    match = _FRONT_MATTER.match(raw)
    if match:
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep:
                meta[key.strip().lower()] = value.strip()
        body = raw[match.end() :]
    from claims.text import detect_language

    return SourceDraft(
        title=meta.get("title") or path.stem.replace("_", " ").replace("-", " "),
        text=body.strip(),
        language=meta.get("language") or detect_language(body),
        url=meta.get("url") or None,
        path=path.name,
        published=meta.get("published") or None,
    )


def source_draft(
    text: str,
    *,
    title: str | None = None,
    language: str | None = None,
    url: str | None = None,
    path: str | None = None,
) -> SourceDraft:
    """A source from plain text: the title defaults to its first line, the language is detected."""
    from claims.text import detect_language

    body = text.strip()
    first_line = body.splitlines()[0].lstrip("# ").strip() if body else ""
    return SourceDraft(
        title=(title or first_line or url or path or "untitled source")[:500],
        text=body,
        language=language or detect_language(body),
        url=url,
        path=path,
    )


def split_passages(body: str) -> list[str]:
    """Split a source body into paragraphs, cutting very long ones at sentence ends."""
    passages: list[str] = []
    for block in re.split(r"\n\s*\n", body):
        paragraph = " ".join(line.strip() for line in block.splitlines()).strip()
        if not paragraph or (paragraph.startswith("#") and len(paragraph) < 120):
            continue
        while len(paragraph) > MAX_PASSAGE_CHARS:
            cut = paragraph.rfind(". ", 0, MAX_PASSAGE_CHARS)
            cut = cut + 1 if cut > MAX_PASSAGE_CHARS // 3 else MAX_PASSAGE_CHARS
            passages.append(paragraph[:cut].strip())
            paragraph = paragraph[cut:].strip()
        if paragraph:
            passages.append(paragraph)
    return passages


def passage_keywords(passage: str, language: str) -> str:
    """Extra index terms for a passage: its numbers written as plain digits and its words folded."""
    from claims.text import extract_quantities

    numbers = {number_token(q.value) for q in extract_quantities(passage, language)}
    folded = {fold(w) for w in _WORD.findall(passage)}
    return " ".join(sorted(numbers | folded))


def number_token(value: float) -> str:
    """A figure as the index stores it: plain digits, or digits joined by '_' for a fraction."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", "_")


def add_source(session: Session, draft: SourceDraft) -> tuple[Source, bool]:
    """Store a source and its passages; return (source, created). The same text is kept once."""
    if not draft.text.strip():
        raise InvalidInputError(f"source {draft.title!r} has no text")
    digest = hashlib.sha256(draft.text.encode()).hexdigest()
    existing = session.scalar(select(Source).where(Source.sha256 == digest))
    if existing is not None:
        return existing, False
    source = Source(
        title=draft.title[:500],
        url=draft.url,
        path=draft.path,
        language=draft.language,
        published=draft.published,
        text=draft.text,
        sha256=digest,
    )
    for ordinal, body in enumerate(split_passages(draft.text)):
        source.passages.append(
            Passage(ordinal=ordinal, text=body, keywords=passage_keywords(body, draft.language))
        )
    session.add(source)
    session.flush()
    return source, True


def load_source_directory(session: Session, directory: Path) -> tuple[int, int]:
    """Add every .md and .txt source under `directory` (README files excepted); return
    (added, already present)."""
    added = present = 0
    for path in sorted(directory.glob("*")):
        if path.suffix not in {".md", ".txt"} or path.stem.upper() == "README":
            continue
        _, created = add_source(session, parse_source_file(path))
        added += created
        present += not created
    return added, present


def search_terms(words: Iterable[str]) -> list[str]:
    """Normalise query words into safe full-text terms (folded, word characters only)."""
    terms: list[str] = []
    for word in words:
        for token in _WORD.findall(fold(word)):
            if token not in terms:
                terms.append(token)
    return terms


def search_passages(
    session: Session, terms: Sequence[str], *, limit: int = 10
) -> list[tuple[Passage, float]]:
    """Return passages matching any of `terms`, best first, with a rank where higher is better."""
    terms = search_terms(terms)
    if not terms:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        query = " OR ".join(f'"{t}"' for t in terms)
        rows = session.execute(
            text(
                "SELECT rowid, -bm25(passages_fts) AS rank FROM passages_fts "
                "WHERE passages_fts MATCH :query ORDER BY rank DESC LIMIT :limit"
            ),
            {"query": query, "limit": limit},
        ).all()
    elif dialect == "postgresql":
        query = " | ".join(terms)
        rows = session.execute(
            text(
                "SELECT id, ts_rank_cd(search_vector, to_tsquery('simple', :query)) AS rank "
                "FROM passages WHERE search_vector @@ to_tsquery('simple', :query) "
                "ORDER BY rank DESC LIMIT :limit"
            ),
            {"query": query, "limit": limit},
        ).all()
    else:
        raise NotImplementedError(f"full-text search is not available on {dialect}")
    ranks = {row[0]: float(row[1]) for row in rows}
    if not ranks:
        return []
    passages = session.scalars(select(Passage).where(Passage.id.in_(ranks))).all()
    return sorted(((p, ranks[p.id]) for p in passages), key=lambda pr: -pr[1])
