"""The French catalogue covers every message and its compiled form is current."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[3] / "web" / "translations"


def test_every_message_has_a_french_translation() -> None:
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    with (TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        french = read_po(handle, locale="fr")
    missing = [
        m.id
        for m in template
        if m.id
        and (
            french.get(m.id) is None
            or not all(french[m.id].string if isinstance(m.id, tuple) else [french[m.id].string])
        )
    ]
    assert missing == []


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def test_compiled_catalogue_matches_the_po_file() -> None:
    with (TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        source = {_key(m.id): _key(m.string) for m in read_po(handle, locale="fr") if m.id}
    compiled_bytes = (TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.mo").read_bytes()
    compiled = {_key(m.id): _key(m.string) for m in read_mo(io.BytesIO(compiled_bytes)) if m.id}
    assert compiled == source, "run `pybabel compile -d web/translations`"
