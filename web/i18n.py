"""The interface language: English or French (Flask-Babel). A signed-in user's choice is kept on
their account, so it follows them to any browser; it is also kept in a cookie, which decides
for anonymous visitors; without a choice, the browser's preference decides."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import Babel, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from claims import accounts
from web.extensions import commit

NAMES = {"en": "English", "fr": "Français"}
LANGUAGES = {code: NAMES[code] for code in accounts.INTERFACE_LANGUAGES}
DEFAULT_LANGUAGE = "en"
COOKIE = "claimtrack_lang"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"

babel = Babel()
bp = Blueprint("i18n", __name__)


def _account_language() -> str | None:
    # Only a user already loaded for this request: the API's token callers are not signed in.
    if not current_user.is_authenticated:
        return None
    return getattr(current_user.row, "language", None)


def select_locale() -> str:
    """Return the signed-in user's chosen language, else the one chosen in this browser, else the
    browser's best match, else English."""
    for chosen in (_account_language(), request.cookies.get(COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def _safe_next(target: str | None) -> str | None:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.post("/language")
def set_language() -> ResponseReturnValue:
    language = request.form.get("language", "")
    response = redirect(_safe_next(request.form.get("next")) or url_for("claims.queue"))
    if language in LANGUAGES:
        if current_user.is_authenticated:
            accounts.set_language(current_user.row, language)
            commit()
        response.set_cookie(
            COOKIE,
            language,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response


def init_i18n(app: Flask) -> None:
    """Install Flask-Babel with the bundled catalogues and the language switcher on `app`."""
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS),
    )
    app.register_blueprint(bp)
    app.add_template_global(LANGUAGES, "ui_languages")
    app.add_template_global(get_locale, "get_locale")


# Words the domain stores as enum values, as the interface shows them.
LABELS = {
    "queued": _l("queued"),
    "checking": _l("checking"),
    "needs_review": _l("needs review"),
    "in_review": _l("in review"),
    "verified": _l("verified"),
    "dismissed": _l("dismissed"),
    "failed": _l("failed"),
    "published": _l("published"),
    "supported": _l("supported"),
    "contradicted": _l("contradicted"),
    "mixed": _l("mixed"),
    "not_enough_evidence": _l("not enough evidence"),
    "supports": _l("supports"),
    "refutes": _l("refutes"),
    "neutral": _l("neutral"),
    "decisive": _l("decisive"),
    "irrelevant": _l("irrelevant"),
    "urgent": _l("urgent"),
    "high": _l("high"),
    "normal": _l("normal"),
    "low": _l("low"),
}


def label(value: object) -> str:
    """Return the interface's wording of a stored value such as a status, in the user's language."""
    if value is None or value == "":
        return ""
    key = str(value)
    return str(LABELS[key]) if key in LABELS else key.replace("_", " ")
