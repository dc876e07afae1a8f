"""The forms of the review pages (Flask-WTF, so each carries a CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectChoice,  # WTForms >= 3.3; choice tuples are deprecated there
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from claims.models import Rating

RATING_LABELS = {
    Rating.TRUE: "True",
    Rating.MOSTLY_TRUE: "Mostly true",
    Rating.MIXED: "Mixed",
    Rating.MOSTLY_FALSE: "Mostly false",
    Rating.FALSE: "False",
    Rating.UNVERIFIABLE: "Unverifiable",
}


class VerdictForm(FlaskForm):
    rating = SelectField(
        "Rating",
        # An empty first choice, so a verdict is never recorded by leaving the default.
        choices=[
            SelectChoice("", "Choose a rating…"),
            *(SelectChoice(rating.value, label) for rating, label in RATING_LABELS.items()),
        ],
        validators=[InputRequired(message="Choose a rating.")],
    )
    rationale = TextAreaField(
        "Rationale",
        validators=[
            DataRequired(message="Explain the verdict: a rationale is required."),
            Length(max=20_000),
        ],
    )
    # The claim version the reviewer saw, so a concurrent change is detected, not overwritten.
    version = HiddenField(validators=[InputRequired(), Regexp(r"^\d{1,9}$")])
