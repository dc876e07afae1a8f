"""Per-language word lists shared by the segmenter's rules.

Languages without an entry fall back to the generic lists; adding a language means adding
its words here, not touching the rules.
"""

from __future__ import annotations


def split_words(text: str) -> frozenset[str]:
    """Return the set of whitespace-separated words of text; keeps long word lists readable."""
    return frozenset(text.split())


# The lists below are data: keep them packed for reading rather than one word per line.
# fmt: off
# Tokens that end with a period without ending a sentence.
TITLE_ABBREVIATIONS = frozenset(
    {
        "M", "MM", "Mme", "Mmes", "Mlle", "Me", "Mgr", "Pr", "Dr", "Drs", "Mr", "Mrs", "Ms",
        "St", "Ste", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Sgt", "Capt", "Cmdr", "Adm",
        "Prof", "Rev", "Hon", "Pres", "Jr", "Sr", "No", "Nos", "n", "art", "Art", "p", "pp",
        "vol", "fig", "cf", "av", "apr", "env", "éd", "ed", "vs", "Inc", "Corp", "Ltd", "Co",
        "Cie", "Bd", "bd", "Ave",
    }
)
DATE_ABBREVIATIONS = frozenset(
    {
        "janv", "févr", "fév", "avr", "juil", "sept", "oct", "nov", "déc",
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
        "Janv", "Févr", "Avr", "Juil", "Déc",
    }
)
# Dotted abbreviations such as "U.S." or "p.m." are recognised by shape, see sentences.py.

FUNCTION_WORDS = {
    "fr": split_words(
    "le la les l un une des du de d au aux à a et ou mais donc or ni car ce cet cette ces "
        "cela ceci ça c il elle ils elles on nous vous je j tu me te se s y en ne n pas plus "
        "qui que qu quoi dont où son sa ses leur leurs notre nos votre vos mon ma mes tout "
        "tous toute toutes selon dans pour par sur sous avec sans entre vers chez depuis "
        "pendant lors après avant alors environ ceux celle celles celui si comme aussi très "
        "puis ainsi quand lorsque tandis parce même autre autres quelque quelques chaque "
        "cependant toutefois néanmoins enfin ensuite seulement voici voilà non oui"
),
    "en": split_words(
    "the a an and or but so nor for yet this that these those it its he she they them "
        "his her their our your my we you i me us him who whom whose which what when where "
        "why how there here in on at by of to from with without into onto over under about "
        "after before since during while as if than then also only just even some many "
        "more most all any each every other both either neither not no yes according "
        "although though however meanwhile still such"
),
}

DETERMINERS = {
    "fr": (
        "le ", "la ", "les ", "l’", "l'", "un ", "une ", "des ", "du ", "de la ", "de l’", "de l'",
    ),
    "en": ("the ", "a ", "an "),
}

MONTHS = {
    "fr": split_words(
    "janvier février mars avril mai juin juillet août septembre octobre novembre "
        "décembre janv févr fév avr juil sept oct nov déc"
),
    "en": split_words(
    "january february march april may june july august september october november "
        "december jan feb mar apr jun jul aug sep sept oct nov dec"
),
}

# Words skipped between a speech verb and its speaker ("a déclaré mardi des responsables").
TIME_WORDS = {
    "fr": split_words(
    "lundi mardi mercredi jeudi vendredi samedi dimanche hier aujourd’hui aujourd'hui "
        "demain matin soir midi après-midi dernier dernière prochain prochaine également "
        "aussi encore ensuite enfin cette semaine mois année"
),
    "en": split_words(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tomorrow "
        "morning evening night afternoon last next this week month year also on late early "
        "earlier later"
),
}

PERCENT_WORDS = {"fr": ("pour cent", "pourcent", "p. cent"), "en": ("percent", "per cent", "pct")}

# Words that may stand between a number and the noun it counts ("2 500 nouveaux cas",
# "2,000 more troops"); some are function words, which alone are not counted nouns.
COUNT_MODIFIERS = {
    "fr": split_words(
    "nouveaux nouvelles nouveau nouvel nouvelle premiers premières premier première derniers "
        "dernières dernier dernière autres autre jeunes petits petites grands grandes gros "
        "grosses anciens anciennes vieux vieilles bons bonnes mauvais mauvaises seuls seules "
        "vrais vraies faux fausses hauts hautes beaux belles longs longues principaux "
        "principales prochains prochaines différents différentes multiples simples pauvres "
        "véritables supplémentaires éventuels"
),
    "en": split_words(
    "new old young elderly small large big little major minor other more fewer additional "
        "extra further first last next previous recent former current local foreign total "
        "full different separate"
),
}
# Plurals without the plural ending: after a number they are the counted noun themselves.
IRREGULAR_PLURALS = {
    "fr": frozenset(),
    "en": split_words("people men women children police staff personnel aircraft cattle"),
}
# Verbs and adverbs that may follow a count and would otherwise read as a plural noun.
NOT_COUNTED_NOUNS = {
    "fr": split_words(
    "est sont était étaient sera seront serait seraient a ont avait avaient aura auront "
        "aurait auraient fut furent sommes êtes été plus moins très trop assez jamais toujours "
        "alors puis mais"
),
    "en": split_words(
    "is are was were be been being has have had will would can could shall should may might "
        "must do does did towards afterwards always perhaps sometimes besides nevertheless "
        "unless across less plus versus thus whereas ago"
),
}

SCALE_WORDS = {
    "fr": {
        "mille": 1e3, "millier": 1e3, "milliers": 1e3, "million": 1e6, "millions": 1e6,
        "milliard": 1e9, "milliards": 1e9, "md": 1e9, "mds": 1e9, "mrd": 1e9,
        "billion": 1e12, "billions": 1e12,
    },
    "en": {
        "thousand": 1e3, "million": 1e6, "millions": 1e6, "mn": 1e6, "mln": 1e6,
        "billion": 1e9, "billions": 1e9, "bn": 1e9, "trillion": 1e12, "trillions": 1e12,
    },
}

# Used for languages without their own entry; "billion" is left out as its value differs
# between the short scale (English, 1e9) and the long scale (most of Europe, 1e12).
GENERIC_SCALE_WORDS = {
    "million": 1e6, "millions": 1e6, "millionen": 1e6, "millones": 1e6, "milioni": 1e6,
    "milhões": 1e6, "miljoen": 1e6, "mio": 1e6, "mln": 1e6, "milliard": 1e9, "milliards": 1e9,
    "milliarde": 1e9, "milliarden": 1e9, "miliardi": 1e9, "mrd": 1e9, "bn": 1e9,
}

APPROXIMATION_MARKERS = {
    "fr": (
        "environ", "près de", "près d’", "près d'", "presque", "quelque", "plus de", "plus d’",
        "plus d'", "moins de", "moins d’", "moins d'", "au moins", "au plus", "jusqu’à",
        "jusqu'à", "autour de", "aux alentours de", "approximativement", "quasiment",
        "pas moins de", "au-delà de", "un peu plus de", "un peu moins de", "de l’ordre de",
        "de l'ordre de", "quelques", "une estimation de", "estimé à", "estimés à", "~",
    ),
    "en": (
        "about", "around", "roughly", "approximately", "nearly", "almost", "some", "more than",
        "less than", "fewer than", "over", "under", "up to", "at least", "at most",
        "an estimated", "estimated", "close to", "as many as", "upwards of", "just over",
        "just under", "in excess of", "~",
    ),
}

HEDGE_WORDS = {
    "fr": (
        "semble", "semblent", "semblait", "semblaient", "semblerait", "sembleraient",
        "paraît", "paraissait", "paraissaient", "apparemment", "probablement",
        "vraisemblablement", "peut-être", "présumé", "présumée", "présumés", "présumées",
        "prétendument", "supposément", "supposé", "supposée", "selon des rumeurs",
        "il se pourrait", "non confirmé", "non confirmée", "aurait", "auraient", "serait",
        "seraient", "pourrait", "pourraient",
    ),
    "en": (
        "reportedly", "allegedly", "alleged", "apparently", "seemingly", "purportedly",
        "supposedly", "possibly", "probably", "likely", "unconfirmed", "rumoured", "rumored",
        "may have", "might have", "could have", "may be", "might be", "could be",
        "is believed", "are believed", "was believed", "were believed", "is thought",
        "are thought", "appears to", "appear to", "appeared to", "seems", "seem", "seemed",
        "is said to", "are said to", "might", "may", "could",
    ),
}

SPEECH_VERBS = {
    "fr": (
        "déclaré", "dit", "affirmé", "indiqué", "annoncé", "expliqué", "ajouté", "souligné",
        "assuré", "estimé", "précisé", "confirmé", "rapporté", "écrit", "averti", "reconnu",
        "démenti", "insisté", "répondu", "raconté", "signalé", "prévenu", "martelé",
        "fait savoir", "jugé", "noté", "rappelé", "admis", "confié", "tweeté", "déploré",
        "dénoncé", "assuré", "révélé", "communiqué", "réaffirmé", "laissé entendre",
    ),
    "en": (
        "said", "says", "told", "stated", "announced", "added", "claimed", "confirmed",
        "reported", "noted", "explained", "warned", "insisted", "argued", "wrote", "tweeted",
        "estimated", "acknowledged", "denied", "declared", "testified", "revealed", "asserted",
        "maintained", "disclosed",
    ),
}
FR_SPEECH_AUXILIARIES = ("a", "ont", "avait", "avaient", "aurait", "auraient", "a-t-il", "a-t-elle",
                         "ont-ils", "ont-elles", "avait-il", "avait-elle")
FR_SPEECH_PRESENT = (
    "déclare", "déclarent", "affirme", "affirment", "indique", "indiquent", "explique",
    "expliquent", "estime", "estiment", "assure", "assurent", "ajoute", "ajoutent", "souligne",
    "soulignent", "précise", "précisent", "annonce", "annoncent", "rapporte", "rapportent",
    "dit", "disent",
)
SOURCE_PREPOSITIONS = {
    "fr": ("selon", "d’après", "d'après", "de source"),
    "en": ("according to", "citing", "as reported by"),
}
# Titles dropped from canonical names: "President Kassym-Jomart Tokayev" is "Kassym-Jomart Tokayev".
NAME_TITLES = split_words(
    "president président présidente prime minister ministre premier mr mrs ms dr m mme mlle "
    "sir dame general général senator sénateur king queen roi reine pope pape chancellor "
    "chancelier chancelière governor gouverneur secretary secrétaire mayor maire "
    "ambassador ambassadeur pr prof professor professeur"
)
# Titles that only ever precede a person's name ("Mr", "Mme"), unlike office titles that also
# open organisation names ("General Motors", "Premier League").
HONORIFICS = split_words("mr mrs ms dr m mme mlle sir dame pr prof")
# Lower-case particles between the capitalised parts of a person's name: "Ursula von der
# Leyen", "Leonardo da Vinci", "Mohammed bin Salman".
NAME_PARTICLES = split_words(
    "von van der den ter ten zu de du del della delle dei degli da das dos di le la bin ibn "
    "bint ben al el"
)
# Capitalised words that end organisation, place or event names, never people's: "General
# Motors", "General Assembly", "Tour de France".
NON_PERSON_NAME_WORDS = split_words(
    "motors electric dynamics mills industries airlines airways group holdings corporation "
    "company inc ltd plc llc gmbh foods systems technologies insurance partners assembly "
    "league club hospital school college foundation society museum "
    "tour coupe jeux gare porte place rue avenue boulevard pont musée château palais côte île "
    "mont lac golfe"
)
# Words that sit between a subject and its speech verb: "Tokayev also said", "X a ensuite dit".
SUBJECT_TRAILERS = split_words(
    "also has have had later then previously earlier again reportedly further separately "
    "aussi également ensuite encore déjà"
)
WEEKDAYS = split_words(
    "lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday "
    "friday saturday sunday"
)
PRONOUNS = split_words(
    "il elle ils elles on nous vous je j’ j' lui eux lequel lesquels laquelle lesquelles "
    "he she they it we i you him her them which whom who one"
)

# Head nouns of a source that names nobody: "des responsables kazakhs", "Kazakh officials".
GENERIC_SOURCE_NOUNS = split_words(
    "responsables sources témoins rapports experts analystes autorités habitants médias "
    "officiels observateurs militants enquêteurs chercheurs "
    "officials sources witnesses reports experts analysts authorities residents media observers "
    "activists investigators researchers diplomats people"
)

UNNAMED_SOURCES = {
    "fr": (
        "des rapports", "selon des rapports", "des informations", "des sources", "des témoins",
        "des médias", "la presse", "des responsables", "des témoignages",
    ),
    "en": (
        "reports", "sources", "witnesses", "officials", "media reported", "local media",
        "state media", "news agency",
    ),
}

OPINION_MARKERS = {
    "fr": (
        "je pense", "je crois", "à mon avis", "selon moi", "nous devons", "il faut",
        "je trouve", "j’estime", "j'estime", "on doit", "je suis convaincu", "j’espère",
        "j'espère", "nous espérons", "je souhaite", "il est temps", "vous devez",
    ),
    "en": (
        "i think", "i believe", "in my opinion", "i feel", "we must", "we should", "you should",
        "i hope", "we hope", "we need to", "you must", "i’m sure", "i'm sure", "it is time",
    ),
}

IMPERATIVE_STARTS = {
    "fr": (
        "cliquez", "lisez", "découvrez", "abonnez", "inscrivez", "partagez", "regardez",
        "écoutez", "suivez", "téléchargez", "rejoignez", "essayez", "consultez", "imaginez",
    ),
    "en": (
        "click", "read", "discover", "subscribe", "sign up", "share", "watch", "listen",
        "follow", "download", "join", "try", "imagine", "check out", "get", "learn",
    ),
}

COMPARISON_MARKERS = {
    "fr": (
        "le plus", "la plus", "les plus", "le moins", "la moins", "les moins", "plus que",
        "moins que", "plus élevé", "plus élevée", "plus bas", "plus haut", "davantage",
        "record", "supérieur", "supérieure", "inférieur", "inférieure", "deux fois",
        "trois fois", "meilleur", "meilleure", "pire", "premier", "première", "jamais vu",
        "double", "triple", "moitié", "la hausse", "la baisse",
    ),
    "en": (
        "more than", "less than", "fewer than", "the most", "the least", "higher", "lower",
        "larger", "largest", "biggest", "bigger", "smaller", "smallest", "highest", "lowest",
        "record", "twice", "double", "triple", "half", "best", "worst", "first", "greater",
        "greatest", "increase", "decrease", "rose", "fell",
    ),
}

FUTURE_MARKERS = {
    "fr": (
        "va ", "vont ", "sera", "seront", "aura ", "auront", "prévoit", "prévoient",
        "devrait", "devraient", "compte ", "comptent", "envisage", "tiendra", "tiendront",
        "fera", "feront", "pourra", "pourront", "d’ici", "d'ici", "à l’avenir", "l’an prochain",
    ),
    "en": (
        "will ", "won’t", "won't", "is going to", "are going to", "plans to", "expects to",
        "expected to", "is set to", "are set to", "by 20", "next year", "in the future",
        "forecast", "predict",
    ),
}
# fmt: on

# Pronouns that can be a speaker, with their grammatical gender ("m" or "f"): the subject of
# a speech verb ("Il a ajouté", "she said") and the pronoun after "selon" ("selon elle").
SPEAKER_PRONOUNS = {"fr": {"il": "m", "elle": "f"}, "en": {"he": "m", "she": "f"}}
SOURCE_PRONOUNS = {"fr": {"lui": "m", "elle": "f"}, "en": {"him": "m", "her": "f"}}
# Words just before a name (or before its apposition) that give a person's gender: titles and
# role nouns. A role noun of both genders ("la ministre") takes the gender of its determiner.
FEMININE_CUES = {
    "fr": split_words(
        "mme madame mlle mademoiselle présidente directrice chancelière sénatrice ambassadrice "
        "députée avocate conseillère première reine princesse dame gouverneure procureure "
        "chercheuse experte candidate élue militante dirigeante présentatrice "
        "fondatrice rédactrice lectrice habitante patronne cheffe"
    ),
    "en": split_words(
        "mrs ms miss lady dame queen princess chairwoman spokeswoman congresswoman "
        "businesswoman councilwoman actress"
    ),
}
MASCULINE_CUES = {
    "fr": split_words(
        "m. monsieur président directeur chancelier sénateur ambassadeur député avocat "
        "conseiller premier roi prince gouverneur procureur chercheur expert candidat élu "
        "militant dirigeant présentateur fondateur rédacteur lecteur habitant patron général"
    ),
    "en": split_words(
        "mr mr. sir lord king prince chairman spokesman congressman businessman councilman"
    ),
}
EPICENE_ROLES = {
    "fr": split_words(
        "ministre porte-parole secrétaire maire juge responsable membre journaliste chef "
        "commissaire diplomate analyste économiste"
    ),
    "en": split_words("minister spokesperson secretary mayor judge official president"),
}
GENDERED_DETERMINERS = {
    "fr": {"la": "f", "une": "f", "cette": "f", "le": "m", "un": "m", "ce": "m", "cet": "m"},
    "en": {},
}
