"""How a comparison of figures reads on the claim page."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

TEMPLATES = Path(__file__).parents[3] / "web" / "templates"


def render(match: dict) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), extensions=["jinja2.ext.i18n"])
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters["status_label"] = str  # used by another macro of the file
    module = env.get_template("_macros.html").module
    return " ".join(str(module.number_match(match)).split())  # type: ignore[attr-defined]


def comparison(**changes: object) -> dict:
    match = {"claimed": "8%", "stated": "8%", "match": True, "difference_percent": 0.0}
    return {**match, **changes}


def test_equal_figures_going_opposite_ways_read_as_such_not_as_a_gap_of_zero() -> None:
    shown = render(comparison(match=False, opposite=True, directions=["down", "up"]))
    assert '<strong class="differs">goes the other way</strong>' in shown
    assert "differs by" not in shown


def test_matching_and_differing_figures_read_as_before() -> None:
    assert '<strong class="match">match</strong>' in render(comparison())
    shown = render(comparison(stated="9%", match=False, difference_percent=12.5))
    assert "differs by +12.5 %" in shown
