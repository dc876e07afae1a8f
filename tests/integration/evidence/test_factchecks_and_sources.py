"""Earlier fact-checks imported from ClaimReview feeds (a file or a URL), and sources added to the
library one at a time, through the `claimtrack` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from claims.db import session_scope
from claims.errors import InvalidInputError
from claims.evidence.factchecks import import_fact_checks, parse_feed, rating_score
from claims.models import FactCheck, Source
from tests.conftest import CliRunner, base_env
from tests.integration.evidence.conftest import SEED_FEED, Remote

REVIEW = {
    "@type": "ClaimReview",
    "url": "https://example.org/checks/one",
    "claimReviewed": "The decree allows one million reservists to be called up.",
    "author": {"@type": "Organization", "name": "Sample Checkers"},
    "datePublished": "2022-09-23",
    "reviewRating": {"ratingValue": 1, "bestRating": 5, "worstRating": 1, "alternateName": "False"},
}


@pytest.mark.parametrize(
    "feed",
    [
        [REVIEW],
        REVIEW,
        {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, REVIEW]},
        {"@type": "DataFeed", "dataFeedElement": [{"item": [REVIEW]}]},
    ],
    ids=["array", "object", "graph", "datafeed"],
)
def test_each_shape_of_feed_gives_the_review(feed: object) -> None:
    (item,) = parse_feed(json.dumps(feed), "feed.json")
    assert item["url"] == REVIEW["url"]
    assert item["rating"] == "False" and item["rating_value"] == 0.0
    assert item["publisher"] == "Sample Checkers"


@pytest.mark.parametrize(
    ("data", "message"),
    [("{not json", "not valid JSON"), ('{"@type": "WebPage"}', "holds no ClaimReview")],
)
def test_a_feed_that_is_not_claimreview_is_refused(data: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_feed(data, "feed.json")


def test_textual_ratings_in_english_and_french() -> None:
    assert rating_score("Mostly false") == 0.25
    assert rating_score("Faux") == 0.0
    assert rating_score("Trompeur") == 0.2
    assert rating_score("Vrai") == 1.0
    assert rating_score("Satire") is None


def test_import_is_idempotent_by_url(sqlite_engine: Engine) -> None:
    items = parse_feed(SEED_FEED.read_bytes(), SEED_FEED.name)
    with session_scope(sqlite_engine) as session:
        first = import_fact_checks(session, items)
    with session_scope(sqlite_engine) as session:
        again = import_fact_checks(session, items)
        changed = [{**items[0], "rating": "Mostly true"}]
        update = import_fact_checks(session, changed)
        count = session.scalar(select(func.count(FactCheck.id)))
    assert (first.added, again.added, again.unchanged) == (len(items), 0, len(items))
    assert (update.added, update.updated) == (0, 1)
    assert count == len(items)


def test_cli_imports_a_feed_from_a_file_and_from_a_url(
    cli: CliRunner, sqlite_env: dict[str, str], remote: Remote, tmp_path: Path
) -> None:
    result = cli("factchecks", "import", str(SEED_FEED))
    assert result.returncode == 0, result.stderr
    assert "6 fact-checks added" in result.stdout
    env = {**sqlite_env, "CLAIMTRACK_ALLOW_PRIVATE_URLS": "1"}
    result = cli("factchecks", "import", f"{remote.base}/feed.json", env=env)
    assert result.returncode == 0, result.stderr
    assert "0 fact-checks added, 0 updated, 6 unchanged" in result.stdout

    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = cli("factchecks", "import", str(broken))
    assert result.returncode == 65
    assert result.stderr.startswith("error: broken.json is not valid JSON")
    result = cli("factchecks", "import", str(tmp_path / "absent.json"))
    assert result.returncode == 66


def test_cli_adds_a_source_from_stdin_a_file_and_a_url(
    cli: CliRunner, sqlite_env: dict[str, str], remote: Remote, tmp_path: Path, data_dir: Path
) -> None:
    text = "Border statistics\n\nAbout 98,000 Russians entered Kazakhstan in one week.\n"
    result = cli("sources", "add", "-", "--url", "https://example.org/stats", input=text)
    assert result.returncode == 0, result.stderr
    assert "added: Border statistics (2 passages)" in result.stdout
    result = cli("sources", "add", "-", input=text)
    assert "already in the library" in result.stdout

    note = tmp_path / "note.md"
    note.write_text("---\ntitle: A note\nlanguage: en\n---\nSome 300,000 reservists.\n")
    result = cli("sources", "add", str(note))
    assert result.returncode == 0, result.stderr
    env = {**sqlite_env, "CLAIMTRACK_ALLOW_PRIVATE_URLS": "1"}
    result = cli("sources", "add", f"{remote.base}/page.html", env=env)
    assert result.returncode == 0, result.stderr
    assert cli("sources", "add", str(tmp_path / "absent.md")).returncode == 66
    assert cli("sources", "add", f"{remote.base}/page.html").returncode == 69  # loopback

    from claims.db import get_engine

    with session_scope(get_engine(f"sqlite:///{data_dir / 'claimtrack.db'}")) as session:
        sources = {s.title: s for s in session.scalars(select(Source))}
    assert set(sources) == {"Border statistics", "A note", "Border figures"}
    assert sources["Border statistics"].url == "https://example.org/stats"
    assert sources["Border figures"].url == f"{remote.base}/page.html"
    assert "98,000" in sources["Border figures"].text


def test_serve_seed_loading_imports_the_sample_feed(data_dir: Path) -> None:
    from claims.config import Settings
    from claims.db import get_engine
    from web.cli import open_database
    from web.cli.service import _load_seeds

    settings = Settings.from_env(base_env(data_dir)).prepared()
    engine = open_database(settings)
    _load_seeds(settings, engine)
    with session_scope(get_engine(settings.database_url)) as session:
        assert session.scalar(select(func.count(FactCheck.id))) == 6
