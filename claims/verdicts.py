"""Verdict fields: what a passage says about a claim, and the verdict the evidence suggests.

A passage is first checked for relevance (shared key terms, across French and English, and
the similarity of the claim to the passage's best sentence); a passage that does not talk
about the claim is neutral. A relevant passage is then read by the stance model
(``claims.stance``: P(contradiction)) and by the figures both texts state about the same thing
(the same thing counted, and no other event around it). Each assessment says why, in words.
Whether a quoted speaker did say what the claim attributes to them is kept apart from whether
it is true.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from claims.library import fold
from claims.models import Stance, SuggestedVerdict

if TYPE_CHECKING:
    from claims.stance.model import StanceModel

METHOD = "library-rules"
# Bumped with the rules here or the stance artefact (claims/stance/data/stance.json "version").
METHOD_VERSION = "4+stance-1.0.0"

_WORD = re.compile(r"\w+", re.UNICODE)
# Function words of French and English that carry no topic; written for this project.
STOPWORDS = frozenset(
    """
    les des une que qui dans pour par sur avec sont ont été etre être est ses leur leurs aux
    cette ces son sans mais plus moins tous toutes tout autre autres dont ainsi alors comme
    entre vers chez depuis selon lors avait avaient aussi elle elles ils nous vous faire fait
    the and that with from this have has had were was are for their they them into over than
    which while about after before there these those been being also said says would will
    """.split()
)
# Relative gap between two figures below which they count as the same figure.
EXACT_TOLERANCE = 0.01
APPROXIMATE_TOLERANCE = 0.10
# Words match across French and English when they share this many leading letters
# ("ministère"/"ministry", "réservistes"/"reservists", "Kazakhstan"/"kazakhs").
PREFIX = 5
# Relevance: share of the claim's key terms found in the passage, and cosine of the claim's and
# the best sentence's e5 embeddings. Chosen on DACCORD pairs (all relevant) against the same
# claims paired with another fact-check's evidence; see docs/quality.md.
MIN_OVERLAP_TO_READ = 0.15
RELEVANT_OVERLAP = 0.4
RELEVANT_COSINE = 0.88
RELEVANT_COSINE_WITH_TERMS = (0.84, 0.2)
# Passages up to this length go to the stance model whole, as DACCORD evidence does.
MODEL_TEXT_CHARS = 400
# A figure that differs from the claim's, about the same thing, refutes at least this much.
NUMBER_MISMATCH_SCORE = 0.75
NUMBER_MATCH_SCORE = 0.7
# Share of the claim's key terms a passage must share for its figures to decide the stance.
FIGURES_OVERLAP = 0.3
# Opposing evidence below this score does not make the verdict "mixed", only less certain.
MIXED_MIN_SCORE = 0.6
MAX_CONFIDENCE = 0.95
# Without a figure to compare, the stance model alone is right about two times in three
# (docs/quality.md); passages it reads alike share its errors, so they do not add up.
MODEL_ONLY_MAX_CONFIDENCE = 0.7

# Counted nouns that name the same thing in French and English but share no prefix.
_SAME_NOUNS = (
    "personnes personne gens people persons person individus individuals",
    "morts mort décès tués deaths dead killed fatalities",
    "habitants résidents inhabitants residents",
    "hommes homme men man",
    "femmes femme women woman",
    "enfants enfant children child kids",
    "soldats soldat soldiers soldier troupes troops militaires",
    "électeurs électeur votants voters voter",
    "manifestants manifestant protesters protestors demonstrators",
    "réfugiés réfugié refugees refugee",
    "citoyens citoyen citizens citizen",
    "policiers policier police officers",
    "pompiers pompier firefighters firefighter",
    "blessés blessé wounded injured",
    "salariés salarié employés employé employees workers",
    "cas cases",
    "demandes demande requêtes applications application requests request",
    "emplois emploi postes poste jobs job",
    "entreprises entreprise sociétés companies company firms firm businesses",
    "arrestations arrestation interpellations interpellation arrests arrest",
    "logements logement habitations homes housing dwellings",
    "vols vol flights flight",
    "écoles école schools school",
    "lits lit beds bed",
    "voitures véhicules cars vehicles",
    "avions planes aircraft",
    "ans années years",
    "jours days",
    "semaines weeks",
    "mois months",
)
_SPEECH_CUES = tuple(
    fold(cue.strip())
    for cue in (
        "selon | d'après | a déclaré | ont déclaré | a indiqué | ont indiqué | a annoncé | "
        "ont annoncé | a affirmé | a dit | a précisé | a assuré | a estimé | déclare | annonce | "
        "affirme | according to | said | says | told | stated | announced | reported | claimed"
    ).split("|")
)


@dataclass(frozen=True, slots=True)
class Assessment:
    """What one passage says about a claim.

    ``attribution`` is "confirms" when the passage reports the claim's speaker saying the same
    thing, "contradicts" when it reports them saying something else, None otherwise.
    """

    stance: Stance
    score: float
    sentence: str
    number_match: dict[str, Any] | None
    reasons: tuple[str, ...] = field(default=())
    relevance: float | None = None
    contradiction: float | None = None
    attribution: str | None = None


def key_terms(text: str) -> list[str]:
    """Return the folded content words of `text` that are worth searching for."""
    terms: list[str] = []
    for word in _WORD.findall(text):
        token = fold(word)
        wanted = token.isdigit() or (len(token) >= 4 and token not in STOPWORDS)
        if wanted and token not in terms:
            terms.append(token)
    return terms


def _stems(words: Sequence[str]) -> set[str]:
    return {w[:PREFIX] for w in words}


def _is_year(quantity: dict[str, Any]) -> bool:
    value = quantity["value"]
    return float(value).is_integer() and 1800 <= value <= 2100 and not quantity.get("unit")


def _singular(word: str) -> str:
    word = fold(word)
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word


_SAME_NOUN_STEMS = tuple(frozenset(_singular(w) for w in group.split()) for group in _SAME_NOUNS)


def same_thing(left: str | None, right: str | None) -> bool:
    """Whether two quantity units name the same thing ("Russes" and "Russians" do).

    A missing unit is compatible with a counted noun (the noun is often elsewhere in the
    sentence) but not with a symbol: a bare count is not a percentage or a sum of money.
    Symbols (%, currencies, abbreviations) must be equal.
    """
    if not left and not right:
        return True
    if not left or not right:
        return bool(_singular(left or right or "").isalpha()) and len(left or right or "") > 2
    a, b = _singular(left), _singular(right)
    if a == b:
        return True
    if not (a.isalpha() and b.isalpha()) or min(len(a), len(b)) < 3:
        return False
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    if shared >= 4 and shared >= 0.6 * min(len(a), len(b)):
        return True
    return any(a in group and b in group for group in _SAME_NOUN_STEMS)


def figures_about_the_same_thing(
    claimed: dict[str, Any],
    stated: dict[str, Any],
    claim_text: str | None = None,
    passage_text: str | None = None,
) -> bool | None:
    """Whether two figures are about the same thing: False, True, or None when unknown.

    They must count the same thing: units that name it (`same_thing`), or two nouns that both
    count people ("personnes" / "réservistes"). With the texts, the words that govern each
    figure must not name different events ("appelés" / "fled"); nouns that differ need them to
    name the same one. Without the texts only the units are read, and different nouns are not
    compared.
    """
    from claims.text.figure_context import counts_people, figure_events, places_differ

    left, right = claimed.get("unit"), stated.get("unit")
    same_noun = same_thing(left, right)
    if not same_noun and not (counts_people(left) and counts_people(right)):
        return False
    if claim_text is None or passage_text is None:
        return same_noun
    if places_differ(claim_text, claimed, passage_text, stated):
        return False
    claim_events = figure_events(claim_text, claimed)
    stated_events = figure_events(passage_text, stated)
    if claim_events and stated_events:
        return bool(claim_events & stated_events)
    return None if same_noun else False


def compare_quantities(
    claimed: Sequence[dict[str, Any]],
    stated: Sequence[dict[str, Any]],
    *,
    claim_text: str | None = None,
    passage_text: str | None = None,
) -> dict[str, Any] | None:
    """Compare the claim's figures with a passage's figures about the same thing.

    None when there is no such pair (years, units that name different things, and figures
    whose governing words name different events are not compared; see
    `figures_about_the_same_thing`). The result names the claimed and stated text, whether
    they match within the claim's own approximation, and the gap in percent.
    """
    from claims.text.figure_context import figure_direction

    claimed = [q for q in claimed if not _is_year(q)]
    stated = [q for q in stated if not _is_year(q)]
    best: dict[str, Any] | None = None
    for c in claimed:
        for s in stated:
            if figures_about_the_same_thing(c, s, claim_text, passage_text) is False:
                continue
            tolerance = APPROXIMATE_TOLERANCE if c.get("approximate") else EXACT_TOLERANCE
            if s.get("approximate"):
                tolerance = max(tolerance, APPROXIMATE_TOLERANCE)
            base = abs(c["value"]) or 1.0
            gap = abs(s["value"] - c["value"]) / base
            bounds = (_bound(c), _bound(s))
            match = gap <= tolerance
            if bounds != (None, None):
                meet = _ranges_meet(c, s)
                # "jusqu'à un million" allows the claim's 300,000 but does not state it.
                if meet and bounds[1] is not None and not match:
                    continue
                match = meet
            candidate = {
                "claimed": c["text"],
                "claimed_value": c["value"],
                "stated": s["text"],
                "stated_value": s["value"],
                "unit": c.get("unit") or s.get("unit"),
                # Both sides name what they count, and it is the same thing.
                "same_unit": bool(c.get("unit") and s.get("unit")),
                "match": match,
                "difference_percent": round(100 * (s["value"] - c["value"]) / base, 1),
            }
            if claim_text is not None and passage_text is not None:
                # "fell 8%" and "rose 8%": equal figures going opposite ways do not match.
                ways = (figure_direction(claim_text, c), figure_direction(passage_text, s))
                if None not in ways and ways[0] != ways[1]:
                    candidate.update(match=False, opposite=True, directions=list(ways))
            # A figure that matches wins over one that does not, then the nearest figure.
            if best is None or _closeness(candidate) < _closeness(best):
                best = candidate
    return best


# Words before a figure that make it a bound: "plus de 300 000" is any figure from 300,000 up.
_LOWER_BOUNDS = (
    "plus de ", "plus d'", "au moins ", "pas moins de ", "au-dela de ", "un peu plus de ",
    "more than ", "over ", "at least ", "upwards of ", "just over ", "in excess of ",
)  # fmt: skip
_UPPER_BOUNDS = (
    "moins de ", "moins d'", "au plus ", "jusqu'a ", "jusqu'au ", "un peu moins de ",
    "less than ", "fewer than ", "under ", "up to ", "at most ", "just under ",
)  # fmt: skip


def _bound(quantity: dict[str, Any]) -> str | None:
    """Which bound a figure is: "min" ("plus de 300 000"), "max" ("moins de 1 000") or None."""
    written = fold(str(quantity.get("text") or "")).replace("’", "'").replace("\u00a0", " ")
    if written.startswith(_LOWER_BOUNDS):
        return "min"
    if written.startswith(_UPPER_BOUNDS):
        return "max"
    return None


def _ranges_meet(claimed: dict[str, Any], stated: dict[str, Any]) -> bool:
    """Whether two figures, at least one of them a bound, can agree.

    A bound is taken as written ("plus de 300 000": from 300,000 up); a plain figure spans its
    own approximation (10 % when written "environ", 1 % otherwise).
    """
    ranges = []
    for quantity in (claimed, stated):
        bound = _bound(quantity)
        value = float(quantity["value"])
        approximate = quantity.get("approximate") and bound is None
        tolerance = APPROXIMATE_TOLERANCE if approximate else EXACT_TOLERANCE
        low, high = sorted((value * (1 - tolerance), value * (1 + tolerance)))
        ranges.append((-math.inf if bound == "max" else low, math.inf if bound == "min" else high))
    return max(ranges[0][0], ranges[1][0]) <= min(ranges[0][1], ranges[1][1])


def _closeness(comparison: dict[str, Any]) -> tuple[bool, float]:
    return not comparison["match"], abs(comparison["difference_percent"])


# A line naming where a passage comes from ("Source: ...", "Sources : ...") repeats the claim's
# names without stating anything about it; it is not evidence for or against.
_CITATION_LINE = re.compile(r"^(?:sources?|references?|références?)\s*:", re.IGNORECASE)


def _sentences(passage: str) -> list[str]:
    sentences = [s.strip() for s in re.split(r"(?<=[.!?»”])\s+", passage) if s.strip()]
    stated = [s for s in sentences if not _CITATION_LINE.match(s)]
    return stated or sentences or [passage]


def _best_sentence(passage: str, terms: Sequence[str]) -> tuple[str, float]:
    wanted = _stems(terms)
    best, best_overlap = passage, 0.0
    for sentence in _sentences(passage):
        words = _stems([fold(w) for w in _WORD.findall(sentence)])
        overlap = len(wanted & words) / (len(wanted) or 1)
        if overlap > best_overlap:
            best, best_overlap = sentence, overlap
    return best, best_overlap


def _attribution(
    speaker: str | None, sentence: str, numbers: dict[str, Any] | None, contradiction: float
) -> str | None:
    if not speaker:
        return None
    folded = fold(sentence)
    speaker_stems = _stems([t for t in key_terms(speaker) if not t.isdigit()])
    named = bool(speaker_stems & _stems([fold(w) for w in _WORD.findall(sentence)]))
    if not named or not any(cue in folded for cue in _SPEECH_CUES):
        return None
    if numbers is not None:
        return "confirms" if numbers["match"] else "contradicts"
    return "contradicts" if contradiction >= 0.5 else "confirms"


def assess_passage(
    claim_text: str,
    claim_quantities: Sequence[dict[str, Any]],
    passage: str,
    passage_quantities: Sequence[dict[str, Any]],
    *,
    speaker: str | None = None,
    model: StanceModel | None = None,
) -> Assessment:
    """Decide whether `passage` supports, refutes or says nothing decisive about the claim.

    `speaker` is who the claim quotes, if anyone; `model` overrides the shipped stance model.
    """
    terms = key_terms(claim_text)
    passage_stems = _stems([fold(w) for w in _WORD.findall(passage)])
    overlap = len(_stems(terms) & passage_stems) / (len(set(_stems(terms))) or 1)
    sentence, _ = _best_sentence(passage, terms)
    numbers = compare_quantities(
        claim_quantities, passage_quantities, claim_text=claim_text, passage_text=passage
    )
    reasons = [f"{round(100 * overlap)} % of the claim's key terms"]
    if overlap < MIN_OVERLAP_TO_READ and numbers is None:
        return Assessment(
            Stance.NEUTRAL,
            round(0.5 * overlap, 3),
            sentence,
            None,
            tuple(reasons),
            relevance=round(overlap, 3),
        )

    # The same figure about the same thing is itself a sign of relevance, so it needs fewer
    # shared terms than a different figure does to decide.
    figures_match = numbers is not None and numbers["match"] and overlap >= MIN_OVERLAP_TO_READ
    figures_differ = (
        numbers is not None
        and not numbers["match"]
        and numbers["same_unit"]
        and overlap >= FIGURES_OVERLAP
    )
    if figures_match or figures_differ:
        # The figures decide; the model would not change the stance, so it is not run (a check
        # stays cheap). The score is the floor the model could only raise.
        assert numbers is not None
        attribution = _attribution(speaker, sentence, numbers, 0.0)
        if figures_match:
            stance, score = Stance.SUPPORTS, NUMBER_MATCH_SCORE
            reasons.append(f"states {numbers['stated']!r}, matching {numbers['claimed']!r}")
        elif numbers.get("opposite"):
            stance, score = Stance.REFUTES, NUMBER_MISMATCH_SCORE
            claimed_way, stated_way = numbers["directions"]
            reasons.append(
                f"states {numbers['stated']!r} going {stated_way} where the claim says "
                f"{numbers['claimed']!r} going {claimed_way}"
            )
        else:
            stance, score = Stance.REFUTES, NUMBER_MISMATCH_SCORE
            reasons.append(
                f"states {numbers['stated']!r} where the claim says {numbers['claimed']!r} "
                f"({numbers['difference_percent']:+g} %)"
            )
        return Assessment(
            stance,
            score,
            sentence,
            numbers,
            tuple(reasons),
            relevance=round(overlap, 3),
            attribution=attribution,
        )

    if model is None:
        from claims.stance.model import load_model

        model = load_model()
    # A short passage is read whole, as DACCORD evidence is; a longer one by its best sentence,
    # which also embeds several times faster than a paragraph.
    model_text = passage if len(passage) <= MODEL_TEXT_CHARS else sentence
    contradiction, cosine = model.score_pairs([(claim_text, model_text[:MODEL_TEXT_CHARS])])[0]
    minimum_cosine, minimum_terms = RELEVANT_COSINE_WITH_TERMS
    relevant = (
        overlap >= RELEVANT_OVERLAP
        or cosine >= RELEVANT_COSINE
        or (cosine >= minimum_cosine and overlap >= minimum_terms)
    )
    relevance = round(max(overlap, cosine), 3)
    attribution = _attribution(speaker, sentence, numbers, contradiction)
    if not relevant:
        return Assessment(
            Stance.NEUTRAL,
            round(0.5 * overlap, 3),
            sentence,
            numbers,
            tuple(reasons),
            relevance=relevance,
            contradiction=round(contradiction, 3),
            attribution=attribution,
        )
    reasons.append(f"stance model: {round(100 * contradiction)} % contradiction")
    if contradiction >= 0.5:
        stance, score = Stance.REFUTES, contradiction
        reasons.append(f"reads as contradicting the claim: {_quote(sentence)}")
    else:
        stance, score = Stance.SUPPORTS, 1.0 - contradiction
        reasons.append(f"consistent with the claim: {_quote(sentence)}")
    return Assessment(
        stance,
        round(min(score, 1.0), 3),
        sentence,
        numbers,
        tuple(reasons),
        relevance=relevance,
        contradiction=round(contradiction, 3),
        attribution=attribution,
    )


def _quote(sentence: str, limit: int = 120) -> str:
    text = " ".join(sentence.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The verdict the evidence suggests, how sure, and why in one glance.

    ``attribution`` is about the quote, kept apart from the truth of what was said: "accurate"
    when a source reports the speaker saying it, "inaccurate" when a source reports them saying
    something else, None when the claim quotes nobody or no source reports the quote.
    """

    verdict: SuggestedVerdict
    confidence: float
    rationale: str
    attribution: str | None = None
    attribution_rationale: str = ""


def suggest_verdict(
    assessed: Sequence[tuple[str, Assessment]], *, speaker: str | None = None
) -> Suggestion:
    """Combine (source title, assessment) pairs into a suggested verdict with a rationale.

    With one decisive passage the confidence is the stance model's calibrated probability;
    further agreeing passages raise it a little, disagreeing ones lower it or make it "mixed".
    """
    attribution, attribution_rationale = _attribution_verdict(assessed, speaker)
    truth = _truth_verdict(assessed)
    rationale = truth.rationale
    if attribution_rationale:
        rationale = f"{rationale} {attribution_rationale}"
    return Suggestion(
        truth.verdict, truth.confidence, rationale, attribution, attribution_rationale
    )


def _decided_by_figures(assessment: Assessment) -> bool:
    numbers = assessment.number_match
    if numbers is None:
        return False
    if numbers.get("match"):
        return assessment.stance == Stance.SUPPORTS
    return bool(numbers.get("same_unit")) and assessment.stance == Stance.REFUTES


def _truth_verdict(assessed: Sequence[tuple[str, Assessment]]) -> Suggestion:
    # Figures compared about the same thing are the most reliable reading there is (the model
    # alone is right about two times in three), so when any passage has one, they decide.
    by_figures = [(t, a) for t, a in assessed if _decided_by_figures(a)]
    # A source stating the claim's own figure outweighs sources stating other figures, which
    # are often about another day or place; those only lower the confidence.
    matching = [(t, a) for t, a in by_figures if a.number_match and a.number_match.get("match")]
    dissent = [a.score for t, a in by_figures if (t, a) not in matching] if matching else []
    if by_figures:
        assessed = matching or by_figures
    supports = [(t, a) for t, a in assessed if a.stance == Stance.SUPPORTS]
    refutes = [(t, a) for t, a in assessed if a.stance == Stance.REFUTES]
    if not supports and not refutes:
        looked = len(assessed)
        return Suggestion(
            SuggestedVerdict.NOT_ENOUGH_EVIDENCE,
            0.5 if looked else 0.7,
            f"No source among {looked} passages found states or contradicts this claim."
            if looked
            else "No passage of the source library matches this claim.",
        )
    title_for, best_for = max(supports, key=lambda ta: ta[1].score, default=("", None))
    title_against, best_against = max(refutes, key=lambda ta: ta[1].score, default=("", None))
    if (
        best_for is not None
        and best_against is not None
        and min(best_for.score, best_against.score) >= MIXED_MIN_SCORE
    ):
        weight_for = sum(a.score for _, a in supports)
        weight_against = sum(a.score for _, a in refutes)
        confidence = 0.4 + 0.3 * abs(weight_for - weight_against) / (weight_for + weight_against)
        return Suggestion(
            SuggestedVerdict.MIXED,
            round(confidence, 2),
            f"Sources disagree: {title_for} supports it ({_why(best_for)}), "
            f"{title_against} does not ({_why(best_against)}).",
        )
    for_score = best_for.score if best_for is not None else 0.0
    against_score = best_against.score if best_against is not None else 0.0
    if against_score > for_score:
        side, title, best, other = refutes, title_against, best_against, best_for
        verdict, verb = SuggestedVerdict.CONTRADICTED, "contradicts"
    else:
        side, title, best, other = supports, title_for, best_for, best_against
        verdict, verb = SuggestedVerdict.SUPPORTED, "supports"
    assert best is not None
    # Agreeing passages often repeat one origin, so each adds little; weak dissent subtracts.
    confidence = best.score + (1.0 - best.score) * 0.2 * (len(side) - 1)
    if not by_figures:
        confidence = min(best.score, MODEL_ONLY_MAX_CONFIDENCE)
    if other is not None:
        confidence -= 0.5 * (other.score - 0.5)
    if dissent:
        confidence -= 0.5 * (max(dissent) - 0.5)
    confidence = min(MAX_CONFIDENCE, max(0.5, confidence))
    others = f" and {len(side) - 1} more" if len(side) > 1 else ""
    rationale = f"{title}{others} {verb} it: {_why(best)}."
    if side and all(a.attribution == "confirms" for _, a in side):
        rationale += " (Only as the speaker's own statement: no independent source.)"
    return Suggestion(verdict, round(confidence, 2), rationale)


def _attribution_verdict(
    assessed: Sequence[tuple[str, Assessment]], speaker: str | None
) -> tuple[str | None, str]:
    confirming = [(t, a) for t, a in assessed if a.attribution == "confirms"]
    contradicting = [(t, a) for t, a in assessed if a.attribution == "contradicts"]
    who = speaker or "the speaker"
    if confirming:
        title, best = max(confirming, key=lambda ta: ta[1].score)
        figure = f" {best.number_match['stated']!r}" if best.number_match else " it"
        return "accurate", f"Attribution accurate: {title} reports {who} saying{figure}."
    if contradicting:
        title, best = max(contradicting, key=lambda ta: ta[1].score)
        figure = f" {best.number_match['stated']!r}" if best.number_match else " otherwise"
        return "inaccurate", f"Attribution doubtful: {title} reports {who} saying{figure}."
    return None, ""


def _why(assessment: Assessment) -> str:
    # Evidence stored without reasons (made by hand, or before reasons were kept) is quoted.
    if not assessment.reasons:
        return _quote(assessment.sentence)
    return "; ".join(assessment.reasons[1:]) or assessment.reasons[0]
