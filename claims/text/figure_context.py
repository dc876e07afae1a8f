"""What a stated figure is about: the people it counts and what happens to them.

Two figures are about the same thing when they count the same thing (the unit noun, or two
nouns that both count people: "personnes", "réservistes", "soldiers"...) and the words that
govern them name the same kind of event ("mobilisés" / "called up", not "franchi la
frontière" / "fled"). The event is read from the clause around the figure: the nearest word
of the lexicon below, and failing that the counted noun itself ("14 morts"). The lists are
French and English and were written for this project; they are matched on folded words
(lower case, no accents), so a passage in either language is read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from claims.library import fold
from claims.text.places import find_places, same_place

# Nouns that count people, French and English, singular after folding (see `_singular`).
# Demonyms ("Russes", "Ukrainians") are recognised by their capital letter instead.
# fmt: off
PEOPLE_NOUNS = frozenset(
    """
    personne gen people person individu individual homme men man femme women woman enfant
    children child adulte adult reserviste reservist soldat soldier troupe troop militaire
    conscrit conscript recrue recruit citoyen citizen habitant inhabitant resident civil
    civilian migrant refugie refugee exile electeur voter votant manifestant protester
    demonstrator patient malade mort dead victime victim blesse injured wounded salarie
    employe employee worker travailleur ouvrier policier officer gendarme agent pompier
    firefighter spectateur spectator fan visiteur visitor touriste tourist passager passenger
    eleve student etudiant prisonnier prisoner detenu detainee otage hostage
    """.split()
)
# What happens to what a figure counts. A word ending in "*" matches as a prefix; two words
# match as a phrase. Direction words (rise, fall, hausse, baisse, added, lost as a change) are
# left out on purpose: "rose 8 %" and "fell 8 %" are about the same thing and disagree.
EVENTS: Mapping[str, str] = {
    "mobilised": "mobilis* mobiliz* appel* rappel* recall* conscri* convoqu* draft* enrol* "
                 "recrut* recruit* reservist* call-up* callup* called_up call_up drapeaux",
    "crossed a border": "franchi* travers* entres entree entrees entered entering entry "
                        "arriv* cross* landed debarqu* frontiere* border* quitt* left leave "
                        "leaving fled flee* fui fuir fuient fuite fuyant exil* exode exodus "
                        "emigr*",
    "stayed": "reste restent restes restee restees restaient demeur* remain* stay stayed",
    "evacuated": "evacu*",
    "deported": "expuls* deport* expel* reconduit*",
    "asylum": "asile asylum",
    "died": "mort morte morts mortes deces tue tues tuee tuees meurt mouru* decede* killed "
            "kill kills dead death deaths died die dying fatalit*",
    "injured": "bless* injur* wound*",
    "rescued": "sauve sauves sauvees rescu* alive vivant vivants",
    "hospitalised": "hospitalis* hospitaliz* hopita* hospital* soigne soignes treated",
    "infected": "cas cases infect* contamin* positif positifs",
    "vaccinated": "vaccin* booster* immunis* immuniz*",
    "arrested": "interpell* arrete arretes arretees arrest* detain* detenu* garde_a",
    "protested": "manifest* protest* defil* rassembl* demonstr* marched marchers marching",
    "deployed": "deploy* deploi* deploie*",
    "turnout": "participation turnout voted votant* ballot* cast_a",
    "abstained": "abstenu* abstention* abstain*",
    "vote share": "voix suffrage* won obtenu* recueilli* backed",
    "unemployment": "chomage chomeur* unemploy* jobless",
    "jobs": "emploi emplois job jobs poste postes embauch* hire hired hiring licenci* layoff*",
    "inflation": "inflation consumer_prices prix_a",
    "growth": "croissance growth gdp pib grew",
    "debt": "dette* debt* endett*",
    "deficit": "deficit*",
    "revenue": "recette* revenue* rapporte ventes sales",
    "spending": "budget* depens* spend* spent credits allou* allocat* approv* fund* financ* "
                "debloq* aide aides aid invest*",
    "price": "prix price prices priced cost costs coute coutent cout tarif*",
    "wages": "salaire salaires wage wages",
    "rents": "loyer* rent rents",
    "emissions": "emission* emis emise emises emit emits emitted co2 carbon* greenhouse "
                 "gaz_a",
    "production": "produc* produit* output* extrait* mined",
    "population": "habitant* inhabitant* vivent vit live lives living population* peupl*",
    "visits": "visit* touris*",
    "strike": "greve* strike strikes striking",
    "remote work": "teletravail remote",
    "losses": "perdu perdus perdues perte pertes lost losses",
    "deliveries": "livr* deliver* recu recus received",
    "opinion": "confiance trust favorable* opinion*",
}
# Which way a figure goes, read apart from the events: "a augmenté de 8 %" and "fell 8%" are
# about the same thing and disagree, as are "supprimer 1 200 emplois" and "créer 1 200 emplois".
DIRECTIONS: Mapping[str, str] = {
    "up": "hausse hausses augment* accru accrue accrus accrues accroissement* progress* grimp* "
          "bondi envol* rose rise rises risen rising increas* grew grow grows growing gain "
          "gained gains jump* soar* surg* climb* cree creee crees creees creer creation* "
          "creat* embauch* hire hired hiring added adding adds ajout*",
    "down": "baisse baisses baiss* diminu* recul* chut* effondr* repli* fell fall falls falling "
            "fallen drop* declin* decreas* shrank shrink* shrunk cut cuts cutting supprim* "
            "suppression* licenci* layoff* laid_off slash* plung* tumbl* slump* reduc* reduit* "
            "reduisent reduire",
}
# fmt: on
# Figures further than this many content words from an event word are not governed by it.
WINDOW = 8
# A direction word must be nearer than an event word: "a baissé de 8 %", "8 % de hausse".
DIRECTION_WINDOW = 4
# Where a clause ends: punctuation (not a decimal or grouping mark) and the conjunctions that
# start another clause.
_CLAUSE_END = re.compile(
    r"[;:()\[\]«»“”\"!?—–]|[.,](?!\d)|\b(?:selon|according to|alors que|tandis que|depuis que"
    r"|parce que|lorsque|whereas|while|because|mais|but)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…](?=\s)")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
_SHORT_WORDS = frozenset(
    """
    les des une que qui dans pour par sur avec sont ont ete etre est ses leur leurs aux cette
    ces son sans plus moins tous toutes tout autre autres dont ainsi alors comme entre vers
    chez lors avait avaient aussi elle elles ils nous vous the and that with from this have
    has had were was are for their they them into over than which there these those been
    being also would will its has not pas deja already some about environ pres quelque
    """.split()
)


def _singular(word: str) -> str:
    word = fold(word)
    return word[:-1] if len(word) > 3 and word.endswith(("s", "x")) else word


def counts_people(unit: str | None) -> bool:
    """Whether a quantity's unit is a noun that counts people (a demonym included)."""
    if not unit or not unit[:1].isalpha():
        return False
    if unit[:1].isupper() and len(unit) > 3 and unit.endswith("s") and unit[1:].islower():
        return True
    return _singular(unit) in PEOPLE_NOUNS


@dataclass(frozen=True)
class _WordList:
    """A lexicon of the form above: whole words, prefixes ("mobilis*") and two-word phrases."""

    words: dict[str, str]
    prefixes: list[tuple[str, str]]
    phrases: dict[str, str]

    @classmethod
    def of(cls, entries: Mapping[str, str]) -> _WordList:
        words: dict[str, str] = {}
        prefixes: list[tuple[str, str]] = []
        phrases: dict[str, str] = {}
        for meaning, listed in entries.items():
            for entry in listed.split():
                if "_" in entry:
                    phrases[entry.replace("_", " ")] = meaning
                elif entry.endswith("*"):
                    prefixes.append((entry[:-1], meaning))
                else:
                    words[entry] = meaning
        prefixes.sort(key=lambda item: -len(item[0]))
        return cls(words, prefixes, phrases)

    def meaning(self, word: str, following: str = "") -> str | None:
        if following and f"{word} {following}" in self.phrases:
            return self.phrases[f"{word} {following}"]
        if word in self.words:
            return self.words[word]
        return next((meaning for prefix, meaning in self.prefixes if word.startswith(prefix)), None)


@lru_cache(maxsize=1)
def _events_list() -> _WordList:
    return _WordList.of(EVENTS)


@lru_cache(maxsize=1)
def _directions_list() -> _WordList:
    return _WordList.of(DIRECTIONS)


def direction_of(word: str, following: str = "") -> str | None:
    """Which way a (folded) word says a figure goes: "up", "down" or None."""
    return _directions_list().meaning(word, following)


def event_of(word: str, following: str = "") -> str | None:
    """The kind of event a (folded) word names, if any; `following` lets phrases match."""
    return _events_list().meaning(word, following)


def _locate(text: str, quantity: Mapping[str, Any]) -> tuple[int, int] | None:
    written = str(quantity.get("text") or "")
    start, end = quantity.get("start"), quantity.get("end")
    if isinstance(start, int) and isinstance(end, int) and text[start:end] == written:
        return start, end
    found = text.find(written) if written else -1
    return (found, found + len(written)) if found >= 0 else None


def _content_words(text: str) -> list[tuple[str, str]]:
    """Each content word of `text` (folded) with the word that follows it, for phrases."""
    words = [fold(w) for w in _WORD.findall(text)]
    return [
        (word, words[i + 1] if i + 1 < len(words) else "")
        for i, word in enumerate(words)
        if not word.isdigit() and len(word) > 2 and word not in _SHORT_WORDS
    ]


def _events(words: list[tuple[str, str]]) -> list[str | None]:
    """The event each word names, in reading order; both words of a phrase name it."""
    events = [event_of(word, following) for word, following in words]
    phrases = _events_list().phrases
    for i, (word, following) in enumerate(words[:-1]):
        if f"{word} {following}" in phrases and words[i + 1][0] == following:
            events[i + 1] = events[i]
    return events


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    ends = list(_CLAUSE_END.finditer(text))
    clause_start = max((m.end() for m in ends if m.end() <= start), default=0)
    clause_end = min((m.start() for m in ends if m.start() >= end), default=len(text))
    return clause_start, clause_end


def figure_places(text: str, quantity: Mapping[str, Any]) -> frozenset[str]:
    """The places that frame `quantity` in `text` (keys of `claims.text.places`).

    Those named in its clause; failing that, earlier in its sentence ("In Germany, 2,000...");
    failing that, in the nearest earlier sentence that names one. Empty when none is named.
    """
    span = _locate(text, quantity)
    if span is None:
        return frozenset()
    start, end = span
    places = find_places(text)
    clause_start, clause_end = _clause(text, start, end)
    sentence_start = _sentence_start(text, start)
    for low, high in ((clause_start, clause_end), (sentence_start, clause_start)):
        found = frozenset(p.key for p in places if low <= p.start and p.end <= high)
        if found:
            return found
    before = [p for p in places if p.end <= sentence_start]
    if not before:
        return frozenset()
    nearest = _sentence_start(text, before[-1].start)
    return frozenset(p.key for p in before if p.start >= nearest)


def _sentence_start(text: str, at: int) -> int:
    return max((m.end() for m in _SENTENCE_END.finditer(text, 0, at)), default=0)


def places_differ(
    claim_text: str, claimed: Mapping[str, Any], passage_text: str, stated: Mapping[str, Any]
) -> bool:
    """Whether two figures are framed by different places that the other text never names.

    "98 000 Russes entrés au Kazakhstan" and "4,824 Russians entered Finland" differ; a passage
    that names Kazakhstan anywhere, or a side that names no place, does not.
    """
    ours, theirs = figure_places(claim_text, claimed), figure_places(passage_text, stated)
    if not ours or not theirs:
        return False
    if any(same_place(a, b) for a in ours for b in theirs):
        return False
    named_in_passage = [p.key for p in find_places(passage_text)]
    named_in_claim = [p.key for p in find_places(claim_text)]
    return not any(same_place(a, b) for a in ours for b in named_in_passage) and not any(
        same_place(a, b) for a in theirs for b in named_in_claim
    )


def figure_direction(text: str, quantity: Mapping[str, Any]) -> str | None:
    """Which way the clause around `quantity` says it goes ("up", "down"), or None.

    The nearest direction word within a few content words decides; None when there is none,
    or when two words at the same distance disagree.
    """
    span = _locate(text, quantity)
    if span is None:
        return None
    start, end = span
    clause_start, clause_end = _clause(text, start, end)
    before = _content_words(text[clause_start:start])[::-1]
    after = _content_words(text[end:clause_end])
    for distance in range(DIRECTION_WINDOW):
        found = {
            direction_of(*words[distance]) for words in (before, after) if distance < len(words)
        } - {None}
        if found:
            return found.pop() if len(found) == 1 else None
    return None


def figure_events(text: str, quantity: Mapping[str, Any]) -> frozenset[str]:
    """The kinds of event the clause around `quantity` in `text` says happen to what it counts.

    Empty when `quantity` is not found in `text` or its clause names no known event.
    """
    span = _locate(text, quantity)
    if span is None:
        return frozenset()
    start, end = span
    clause_start, clause_end = _clause(text, start, end)
    before = _events(_content_words(text[clause_start:start]))[::-1]
    after = _events(_content_words(text[end:clause_end]))
    for distance in range(WINDOW):
        found = {
            events[distance]
            for events in (before, after)
            if distance < len(events) and events[distance] is not None
        }
        if found:
            return frozenset(e for e in found if e is not None)
    # No governing word: the counted noun may say it ("14 morts", "45 blessés").
    unit = quantity.get("unit")
    counted = event_of(fold(unit)) if isinstance(unit, str) and unit[:1].isalpha() else None
    return frozenset({counted}) if counted else frozenset()
