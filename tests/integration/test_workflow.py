"""A claim's life on both databases: statuses with their history, the outbox, the safety net."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from claims.db import session_scope, utcnow
from claims.errors import ConflictError, InvalidInputError
from claims.models import Claim, ClaimStatus, OutboxMessage, StatusChange
from claims.workflow import (
    CHECK_TASK,
    change_status,
    ingest_document,
    requeue_stale_claims,
)
from tests.conftest import SEED_ARTICLE


@pytest.fixture
def document_id(engine) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        result = ingest_document(
            session, SEED_ARTICLE.read_text(encoding="utf-8"), SEED_ARTICLE.name, actor="cli"
        )
        return result.document.id


def test_ingest_writes_one_outbox_message_per_claim_in_the_same_transaction(
    engine, document_id: int
) -> None:
    with session_scope(engine) as session:
        claim_ids = session.scalars(select(Claim.id).where(Claim.document_id == document_id))
        messages = session.scalars(select(OutboxMessage)).all()
        assert sorted(m.args[0] for m in messages) == sorted(claim_ids)
        assert {m.task for m in messages} == {CHECK_TASK}
        assert all(m.sent_at is None for m in messages)


def test_a_failed_ingest_leaves_nothing_behind(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInputError), session_scope(engine) as session:
        ingest_document(session, "   \n ", "empty.txt")
    with session_scope(engine) as session:
        assert session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_every_status_change_is_recorded_and_bad_moves_are_refused(
    engine, document_id: int
) -> None:
    with session_scope(engine) as session:
        claim = session.scalars(select(Claim).where(Claim.document_id == document_id)).first()
        assert claim is not None
        change_status(session, claim, ClaimStatus.CHECKING, actor="worker")
        change_status(session, claim, ClaimStatus.NEEDS_REVIEW, actor="worker")
        with pytest.raises(ConflictError, match="cannot go from needs_review to published"):
            change_status(session, claim, ClaimStatus.PUBLISHED, actor="someone")
        claim_id = claim.id
    with session_scope(engine) as session:
        history = session.scalars(
            select(StatusChange).where(StatusChange.claim_id == claim_id).order_by(StatusChange.id)
        ).all()
        assert [(h.from_status, h.to_status, h.actor) for h in history] == [
            (None, ClaimStatus.QUEUED, "cli"),
            (ClaimStatus.QUEUED, ClaimStatus.CHECKING, "worker"),
            (ClaimStatus.CHECKING, ClaimStatus.NEEDS_REVIEW, "worker"),
        ]
        assert all(h.at.tzinfo is not None for h in history)


def test_claims_stuck_in_a_dead_workers_hands_are_queued_again(engine, document_id: int) -> None:
    with session_scope(engine) as session:
        claims = session.scalars(select(Claim).where(Claim.document_id == document_id)).all()
        stuck, fresh = claims[0], claims[1]
        change_status(session, stuck, ClaimStatus.CHECKING, actor="worker")
        change_status(session, fresh, ClaimStatus.CHECKING, actor="worker")
        session.flush()
        stuck.updated_at = utcnow() - timedelta(hours=1)
        stuck_id, fresh_id = stuck.id, fresh.id
        before = session.scalar(select(func.count(OutboxMessage.id)))
    with session_scope(engine) as session:
        # Only the claim untouched for longer than the limit comes back.
        assert requeue_stale_claims(session, older_than=timedelta(minutes=10)) == 1
    with session_scope(engine) as session:
        assert session.get(Claim, stuck_id).status == ClaimStatus.QUEUED
        assert session.get(Claim, fresh_id).status == ClaimStatus.CHECKING
        messages = session.scalars(
            select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1)
        ).all()
        assert session.scalar(select(func.count(OutboxMessage.id))) == before + 1
        assert messages[0].args == [stuck_id]
        note = session.scalars(
            select(StatusChange.note)
            .where(StatusChange.claim_id == stuck_id)
            .order_by(StatusChange.id.desc())
        ).first()
        assert note == "check timed out"
