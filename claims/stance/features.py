"""Hand features of a (claim, evidence) pair that hint at a contradiction, in French and English.

Each feature is a number computed from the two texts alone, cheap enough to run on every
passage a check assesses. Word lists are written for this project.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d{3})*(?:[.,]\d+)?")
_CAPITALISED = re.compile(r"\b[A-ZÀ-Ý][\w\-]+")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip its accents ('Tokaïev' -> 'tokaiev')."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _folded_set(words: str) -> frozenset[str]:
    return frozenset(fold(word) for word in words.split())


# Negation words; "n" catches the elided "n'" of French once words are split on \w+.
NEGATIONS = _folded_set(
    "ne n pas jamais aucun aucune aucunement rien personne nullement ni non sans guère "
    "not no never none nothing nobody neither nor without n't cannot"
)
# Words with which a fact-check states that something is wrong or different.
CONTRADICTION_CUES = _folded_set(
    "faux fausse fausses faussement erroné erronée inexact inexacte trompeur trompeuse "
    "démenti démentent dément contrairement réalité infondé infondée détourné détournée "
    "montage truquée truqué satirique parodie plutôt mais alors cependant pourtant "
    "false wrong untrue incorrect misleading debunked denied denies contrary actually "
    "fabricated doctored satire however rather instead but"
)
# Pairs of opposite words; a pair split across the two texts is a strong cue.
_ANTONYM_PAIRS = (
    ("hausse", "baisse"),
    ("augmente", "diminue"),
    ("augmenté", "diminué"),
    ("augmentation", "diminution"),
    ("plus", "moins"),
    ("avant", "après"),
    ("ouvert", "fermé"),
    ("ouverte", "fermée"),
    ("vrai", "faux"),
    ("vivant", "mort"),
    ("vivante", "morte"),
    ("gagné", "perdu"),
    ("victoire", "défaite"),
    ("autorisé", "interdit"),
    ("autorise", "interdit"),
    ("obligatoire", "facultatif"),
    ("accepté", "refusé"),
    ("confirmé", "démenti"),
    ("réel", "faux"),
    ("récent", "ancien"),
    ("récente", "ancienne"),
    ("nouveau", "ancien"),
    ("nouvelle", "ancienne"),
    ("efficace", "inefficace"),
    ("sûr", "dangereux"),
    ("majorité", "minorité"),
    ("toujours", "jamais"),
    ("tous", "aucun"),
    ("increase", "decrease"),
    ("rise", "fall"),
    ("more", "less"),
    ("before", "after"),
    ("open", "closed"),
    ("true", "false"),
    ("alive", "dead"),
    ("won", "lost"),
    ("allowed", "banned"),
    ("always", "never"),
    ("new", "old"),
)
ANTONYMS: dict[str, frozenset[str]] = {}
for _left, _right in _ANTONYM_PAIRS:
    ANTONYMS[fold(_left)] = ANTONYMS.get(fold(_left), frozenset()) | {fold(_right)}
    ANTONYMS[fold(_right)] = ANTONYMS.get(fold(_right), frozenset()) | {fold(_left)}

MONTHS = _folded_set(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre "
    "january february march april may june july august september october november december"
)
# Short function words that say nothing about the topic.
_STOPWORDS = _folded_set(
    "le la les l un une des de du d et ou à au aux en dans par pour sur avec que qui qu ce "
    "cette ces se sa son ses leur leurs est sont a ont été être il elle ils elles on y "
    "the a an of and or to in on at for with that which this these is are was were be been "
    "by from as it its"
)

HAND_FEATURE_NAMES = (
    "negation_claim",
    "negation_evidence",
    "negation_asymmetry",
    "cue_evidence",
    "cue_claim",
    "antonym_split",
    "numbers_claim_missing",
    "numbers_evidence_extra",
    "numbers_both_disagree",
    "years_disagree",
    "months_disagree",
    "claim_terms_missing",
    "evidence_terms_new",
    "names_claim_missing",
    "length_ratio",
)


def _words(text: str) -> list[str]:
    return [fold(word) for word in _WORD.findall(text)]


def _numbers(text: str) -> set[str]:
    return {re.sub(r"[ \u00a0\u202f.,]", "", match) for match in _NUMBER.findall(text)}


def _content(words: Sequence[str]) -> set[str]:
    return {w for w in words if w not in _STOPWORDS and not w.isdigit() and len(w) > 2}


def _share_missing(wanted: set[str], present: set[str]) -> float:
    return len(wanted - present) / len(wanted) if wanted else 0.0


def pair_features(claim: str, evidence: str) -> list[float]:
    """Return the hand features of one pair, in the order of HAND_FEATURE_NAMES."""
    claim_words, evidence_words = _words(claim), _words(evidence)
    claim_set, evidence_set = set(claim_words), set(evidence_words)
    negation_claim = sum(w in NEGATIONS for w in claim_words)
    negation_evidence = sum(w in NEGATIONS for w in evidence_words)
    antonym_split = any(
        ANTONYMS.get(word, frozenset()) & evidence_set and word not in evidence_set
        for word in claim_set
    )
    claim_numbers, evidence_numbers = _numbers(claim), _numbers(evidence)
    claim_years = {n for n in claim_numbers if len(n) == 4 and n[:2] in {"19", "20"}}
    evidence_years = {n for n in evidence_numbers if len(n) == 4 and n[:2] in {"19", "20"}}
    claim_months, evidence_months = claim_set & MONTHS, evidence_set & MONTHS
    claim_content, evidence_content = _content(claim_words), _content(evidence_words)
    # The first word is capitalised for being first, not for being a name.
    first = claim_words[0] if claim_words else ""
    claim_names = {fold(n) for n in _CAPITALISED.findall(claim)} - {first}
    return [
        min(negation_claim, 3) / 3,
        min(negation_evidence, 3) / 3,
        float(np.sign(negation_evidence - negation_claim)),
        float(bool(evidence_set & CONTRADICTION_CUES)),
        float(bool(claim_set & CONTRADICTION_CUES)),
        float(antonym_split),
        _share_missing(claim_numbers, evidence_numbers) if evidence_numbers else 0.0,
        _share_missing(evidence_numbers, claim_numbers) if claim_numbers else 0.0,
        float(bool(claim_numbers and evidence_numbers and not claim_numbers & evidence_numbers)),
        float(bool(claim_years and evidence_years and not claim_years & evidence_years)),
        float(bool(claim_months and evidence_months and not claim_months & evidence_months)),
        _share_missing(claim_content, evidence_content),
        _share_missing(evidence_content, claim_content),
        _share_missing(claim_names, evidence_set),
        float(np.log((len(evidence_words) + 1) / (len(claim_words) + 1))),
    ]


def extract_pair_features(pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """Return a (len(pairs), len(HAND_FEATURE_NAMES)) float32 matrix of hand features."""
    rows = [pair_features(claim, evidence) for claim, evidence in pairs]
    return np.asarray(rows, dtype=np.float32).reshape(len(pairs), len(HAND_FEATURE_NAMES))
