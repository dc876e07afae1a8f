"""The forms of the review pages (Flask-WTF, so each carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    HiddenField,
    SelectChoice,  # WTForms >= 3.3; choice tuples are deprecated there
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from claims.models import Rating

RATING_LABELS = {
    Rating.TRUE: _l("True"),
    Rating.MOSTLY_TRUE: _l("Mostly true"),
    Rating.MIXED: _l("Mixed"),
    Rating.MOSTLY_FALSE: _l("Mostly false"),
    Rating.FALSE: _l("False"),
    Rating.UNVERIFIABLE: _l("Unverifiable"),
}


class VerdictForm(FlaskForm):
    rating = SelectField(
        _l("Rating"),
        # An empty first choice, so a verdict is never recorded by leaving the default.
        choices=[
            SelectChoice("", _l("Choose a rating…")),
            *(SelectChoice(rating.value, label) for rating, label in RATING_LABELS.items()),
        ],
        validators=[InputRequired(message=_l("Choose a rating."))],
    )
    claim_reviewed = StringField(
        _l("Claim reviewed (short wording for publication)"),
        validators=[Optional(), Length(max=500)],
    )
    rationale = TextAreaField(
        _l("Rationale"),
        validators=[
            DataRequired(message=_l("Explain the verdict: a rationale is required.")),
            Length(max=20_000),
        ],
    )
    # The claim version the reviewer saw, so a concurrent change is detected, not overwritten.
    version = HiddenField(validators=[InputRequired(), Regexp(r"^\d{1,9}$")])


class IngestForm(FlaskForm):
    """A document by pasted text, an uploaded file or a URL: exactly one of the three."""

    title = StringField(_l("Title (optional)"), validators=[Optional(), Length(max=500)])
    language = SelectField(
        _l("Language"),
        choices=[
            SelectChoice("", _l("Detect")),
            SelectChoice("en", "English"),
            SelectChoice("fr", "Français"),
        ],
        validators=[Optional()],
    )
    text = TextAreaField(_l("Paste the text"), validators=[Optional(), Length(max=2_000_000)])
    file = FileField(_l("or upload a text file"))
    url = StringField(_l("or give its address (URL)"), validators=[Optional(), Length(max=2000)])
