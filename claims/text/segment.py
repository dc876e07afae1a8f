"""Segment a document into atomic, check-worthy claims located verbatim in its text."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from claims.text.boilerplate import is_boilerplate, looks_like_title, read_header
from claims.text.entities import extract_entities, find_capitalised_words, is_person_like
from claims.text.language import DEFAULT_LANGUAGE, detect_language, normalize_language
from claims.text.scoring import Assessment, assess
from claims.text.sentences import iter_paragraphs, split_paragraph
from claims.text.spans import ClaimSpan, SegmentedDocument
from claims.text.speakers import SpeakerNames, find_attribution, quote_spans

_CONNECTORS = {
    "fr": r",\s*(?:mais|alors\s+que|alors\s+qu[’']|tandis\s+que|tandis\s+qu[’'])\s*|;\s*",
    "en": r",\s*(?:but|while|whereas)\s+|;\s*",
}
_GENERIC_CONNECTOR = r";\s*"
_MIN_PART_WORDS = 4
_CONTINUES_SPEECH = re.compile(r"^(?:que\b|qu[’']|that\b)", re.IGNORECASE)


@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    assessment: Assessment
    quoted_speaker: str | None
    known_names: frozenset[str]


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    sentence: _Sentence
    assessment: Assessment
    speaker_text: str | None


def segment_document(
    text: str, language: str | None = None, min_checkworthiness: float = 0.5
) -> SegmentedDocument:
    """Split a document into its check-worthy claims (checkworthiness >= min_checkworthiness)."""
    if not text or not text.strip():
        return SegmentedDocument(
            language=normalize_language(language), date=None, title=None, claims=()
        )
    header = read_header(text)
    # Blank the header instead of slicing it off, so that every offset stays an offset in text.
    body = " " * header.body_start + text[header.body_start :]
    language = normalize_language(language) if language else detect_language(body)
    title = header.title
    paragraphs: list[tuple[int, int]] = []
    first_prose = True
    for start, end in iter_paragraphs(body):
        if is_boilerplate(body[start:end]):
            continue
        if first_prose and title is None and looks_like_title(body[start:end]):
            title = body[start:end]
            first_prose = False
            continue
        first_prose = False
        paragraphs.append((start, end))
    sentences = _analyse(body, paragraphs, language)
    drafts = [
        draft
        for sentence in sentences
        for draft in _draft_claims(body, sentence, language, min_checkworthiness)
    ]
    names = SpeakerNames(_collect_names(sentences, drafts), language)
    claims = tuple(_finish(text, draft, language, names) for draft in drafts)
    return SegmentedDocument(language=language, date=header.date, title=title, claims=claims)


def _analyse(body: str, paragraphs: list[tuple[int, int]], language: str) -> list[_Sentence]:
    split = [(paragraph, split_paragraph(body, *paragraph)) for paragraph in paragraphs]
    known: set[str] = set()
    for _, spans in split:
        for start, end in spans:
            known |= find_capitalised_words(body[start:end])
    known_names = frozenset(known)
    analysed: list[_Sentence] = []
    for (paragraph_start, paragraph_end), spans in split:
        quotes = quote_spans(body, paragraph_start, paragraph_end)
        speakers = _attribute_quotes(body, quotes, spans, language)
        for (start, end), quoted_speaker in zip(spans, speakers, strict=True):
            if is_boilerplate(body[start:end]):
                continue
            assessment = assess(body[start:end], language, offset=start, known_names=known_names)
            analysed.append(_Sentence(start, end, assessment, quoted_speaker, known_names))
    return analysed


def _attribute_quotes(
    body: str, quotes: list[tuple[int, int]], sentences: list[tuple[int, int]], language: str
) -> list[str | None]:
    """Return, for each sentence, the speaker of a quotation it overlaps, if any."""
    starts = [start for start, _ in sentences]
    speakers: list[str | None] = [None] * len(sentences)
    for quote in quotes:
        first = max(0, bisect_right(starts, quote[0]) - 1)
        last = max(first, bisect_left(starts, quote[1]) - 1)
        speaker = _attribute_quote(body, quote, sentences[first], sentences[last], language)
        if speaker is None:
            continue
        for index in range(first, last + 1):
            if speakers[index] is None:
                speakers[index] = speaker
    return speakers


def _attribute_quote(
    body: str,
    quote: tuple[int, int],
    opening: tuple[int, int],
    closing: tuple[int, int],
    language: str,
) -> str | None:
    """Find who speaks a quotation: after it ("…”, a déclaré X"), else before it in its sentence."""
    quote_start, quote_end = quote
    if quote_end < closing[1]:
        after = find_attribution(body[quote_end : closing[1]], language)
        if after is not None:
            return after.speaker_text
    if not opening[0] < quote_start < opening[1]:
        return None
    before_text = body[opening[0] : quote_start]
    before = find_attribution(before_text, language)
    if before is not None:
        return before.speaker_text
    people = [name for name in extract_entities(before_text, language) if is_person_like(name)]
    return people[-1] if people else None


def _draft_claims(body: str, sentence: _Sentence, language: str, threshold: float) -> list[_Draft]:
    parts = _split_atomic(body, sentence, language)
    if len(parts) > 1:
        drafts: list[_Draft] = []
        previous_speaker = None
        for start, end in parts:
            assessment = assess(
                body[start:end], language, offset=start, known_names=sentence.known_names
            )
            speaker = _speaker_of(assessment, sentence)
            if speaker is None and _CONTINUES_SPEECH.match(body[start:end]):
                speaker = previous_speaker
            previous_speaker = speaker
            drafts.append(_Draft(start, end, sentence, assessment, speaker))
        worthy = [draft for draft in drafts if draft.assessment.score >= threshold]
        if len(worthy) >= 2:
            return worthy
    if sentence.assessment.score < threshold:
        return []
    return [
        _Draft(
            sentence.start,
            sentence.end,
            sentence,
            sentence.assessment,
            _speaker_of(sentence.assessment, sentence),
        )
    ]


def _speaker_of(assessment: Assessment, sentence: _Sentence) -> str | None:
    if assessment.attribution is not None:
        return assessment.attribution.speaker_text
    return sentence.quoted_speaker


def _split_atomic(body: str, sentence: _Sentence, language: str) -> list[tuple[int, int]]:
    """Cut a sentence at top-level contrastive connectors (", mais", ", but", "; ")."""
    quotes = quote_spans(body, sentence.start, sentence.end)
    parts: list[tuple[int, int]] = []
    cursor = sentence.start
    quote_index = 0
    for match in _connector_pattern(language).finditer(body, sentence.start, sentence.end):
        while quote_index < len(quotes) and quotes[quote_index][1] <= match.start():
            quote_index += 1
        if quote_index < len(quotes) and quotes[quote_index][0] < match.start():
            continue
        parts.append((cursor, match.start()))
        cursor = match.end()
    parts.append((cursor, sentence.end))
    trimmed = [_trim(body, start, end) for start, end in parts]
    if any(len(body[start:end].split()) < _MIN_PART_WORDS for start, end in trimmed):
        return [(sentence.start, sentence.end)]
    return trimmed


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def _collect_names(sentences: list[_Sentence], drafts: list[_Draft]) -> list[str]:
    names: list[str] = []
    for sentence in sentences:
        names.extend(sentence.assessment.entities)
        if sentence.assessment.attribution is not None:
            names.append(sentence.assessment.attribution.speaker_text)
    names.extend(draft.speaker_text for draft in drafts if draft.speaker_text)
    return names


def _finish(text: str, draft: _Draft, language: str, names: SpeakerNames) -> ClaimSpan:
    assessment = draft.assessment
    speaker_text = draft.speaker_text
    return ClaimSpan(
        text=text[draft.start : draft.end],
        start=draft.start,
        end=draft.end,
        sentence=text[draft.sentence.start : draft.sentence.end],
        sentence_start=draft.sentence.start,
        language=language,
        checkworthiness=assessment.score,
        reasons=assessment.reasons,
        quantities=assessment.quantities,
        speaker=names.canonicalize(speaker_text) if speaker_text else None,
        speaker_text=speaker_text,
        hedged=assessment.hedged,
        entities=assessment.entities,
        claim_type=assessment.claim_type,
    )


@lru_cache(maxsize=16)
def _connector_pattern(language: str) -> re.Pattern[str]:
    return re.compile(_CONNECTORS.get(language, _GENERIC_CONNECTOR), re.IGNORECASE)


__all__ = ["DEFAULT_LANGUAGE", "segment_document"]
