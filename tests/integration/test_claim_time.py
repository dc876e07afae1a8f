"""The time a claim refers to is stored at ingest, and its migration keeps the claims' data."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import func, inspect, select, text

from claims.db import MIGRATIONS_DIR, current_revision, session_scope, upgrade_database
from claims.models import Claim, StatusChange
from claims.reports import claim_row
from claims.workflow import ingest_document
from tests.conftest import SEED_ARTICLE


def _ingest(engine) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        result = ingest_document(
            session, SEED_ARTICLE.read_text(encoding="utf-8"), SEED_ARTICLE.name, actor="cli"
        )
        return result.document.id


def test_ingest_stores_the_time_a_claim_refers_to(engine) -> None:  # type: ignore[no-untyped-def]
    document_id = _ingest(engine)
    with session_scope(engine) as session:
        claims = session.scalars(select(Claim).where(Claim.document_id == document_id)).all()
        kazakhstan = next(c for c in claims if "98 000" in c.text)
        assert kazakhstan.time is not None
        assert kazakhstan.time["text"] == "mardi"
        # The seed article is dated to the month only, too coarse to resolve a weekday.
        assert kazakhstan.time["value"] is None
        assert claim_row(kazakhstan)["time"] == kazakhstan.time
        assert any(c.time is None for c in claims)


def test_the_time_column_comes_and_goes_without_touching_the_claims(engine) -> None:  # type: ignore[no-untyped-def]
    document_id = _ingest(engine)
    with engine.connect() as connection:
        claims_before = connection.scalar(select(func.count(Claim.id)))
        history_before = connection.scalar(select(func.count(StatusChange.id)))
    assert claims_before
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    assert current_revision(engine) == "0004"
    assert "time" not in {c["name"] for c in inspect(engine).get_columns("claims")}
    upgrade_database(engine)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count(Claim.id))) == claims_before
        assert connection.scalar(select(func.count(StatusChange.id))) == history_before
        if engine.dialect.name == "sqlite":  # the full-text triggers survive both directions
            triggers = connection.scalars(
                text(
                    "SELECT name FROM sqlite_master "
                    "WHERE type = 'trigger' AND name LIKE 'claims_fts_%'"
                )
            ).all()
            assert len(triggers) == 3
    with session_scope(engine) as session:
        claims = session.scalars(select(Claim).where(Claim.document_id == document_id)).all()
        assert all(c.time is None for c in claims)  # downgrading dropped the stored times
