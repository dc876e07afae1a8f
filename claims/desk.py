"""The reviewer's desk: who may work on a claim, assignment, triage in bulk, comments, verdicts
with their details, the two-person publication rule, evidence marks and a claim's full history.

Like the rest of `claims/`, functions take a Session, flush when they need ids and never commit.
Every action checks both the role and the object: a reviewer works on the claims assigned to
them (or on unassigned ones, which become theirs); editors and admins work on any claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claims.db import utcnow
from claims.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from claims.models import (
    Claim,
    ClaimEvent,
    ClaimStatus,
    Comment,
    EventKind,
    Evidence,
    EvidenceMark,
    EvidenceMarkKind,
    Rating,
    Role,
    StatusChange,
    SuggestedVerdict,
    SuggestionOutcome,
    User,
)
from claims.workflow import change_status, get_claim, record_verdict, requeue_claim

# Priorities a person can give a claim; the queue shows higher ones first.
PRIORITIES: dict[int, str] = {2: "urgent", 1: "high", 0: "normal", -1: "low"}
MAX_SELECTION = 500
MAX_COMMENT_CHARS = 5000
MAX_CLAIM_REVIEWED_CHARS = 500

# Which ratings agree with which suggestion, for the record of accepted suggestions.
AGREEING_RATINGS: dict[SuggestedVerdict, frozenset[Rating]] = {
    SuggestedVerdict.SUPPORTED: frozenset({Rating.TRUE, Rating.MOSTLY_TRUE}),
    SuggestedVerdict.CONTRADICTED: frozenset({Rating.FALSE, Rating.MOSTLY_FALSE}),
    SuggestedVerdict.MIXED: frozenset({Rating.MIXED}),
    SuggestedVerdict.NOT_ENOUGH_EVIDENCE: frozenset({Rating.UNVERIFIABLE}),
}


def may_work_on(user: User, claim: Claim) -> bool:
    """Return whether `user` may triage and review `claim` (role and assignment)."""
    if user.role.allows(Role.EDITOR):
        return True
    return user.role.allows(Role.REVIEWER) and claim.assignee_id in (None, user.id)


def require_work_on(user: User, claim: Claim) -> None:
    """Raise PermissionDeniedError unless `user` may triage and review `claim`."""
    if may_work_on(user, claim):
        return
    if not user.role.allows(Role.REVIEWER):
        raise PermissionDeniedError("this needs the reviewer role or higher")
    owner = claim.assignee.username if claim.assignee is not None else "someone else"
    raise PermissionDeniedError(f"claim {claim.id} is assigned to {owner}")


def require_role(user: User, needed: Role) -> None:
    """Raise PermissionDeniedError unless `user`'s role allows `needed`."""
    if not user.role.allows(needed):
        raise PermissionDeniedError(f"this needs the {needed.value} role or higher")


def check_version(claim: Claim, expected_version: int | None) -> None:
    """Raise ConflictError when the claim changed since the user saw version `expected_version`."""
    if expected_version is not None and claim.version != expected_version:
        raise ConflictError(
            f"claim {claim.id} was changed by someone else (version {claim.version}, "
            f"you edited version {expected_version})"
        )


def _event(
    session: Session, claim: Claim, kind: EventKind, user: User, **detail: Any
) -> ClaimEvent:
    event = ClaimEvent(
        claim_id=claim.id, kind=kind, user_id=user.id, actor=user.username, detail=detail
    )
    session.add(event)
    return event


def record_event(
    session: Session, claim: Claim, kind: EventKind, user: User, **detail: Any
) -> ClaimEvent:
    """Record an edit `user` made to the claim in its history, with what changed."""
    return _event(session, claim, kind, user, **detail)


def get_claims(session: Session, claim_ids: Iterable[int]) -> list[Claim]:
    """Return the claims with these ids in the given order; NotFoundError names a missing one."""
    ids = list(dict.fromkeys(claim_ids))
    if not ids:
        raise InvalidInputError("select at least one claim")
    if len(ids) > MAX_SELECTION:
        raise InvalidInputError(f"select at most {MAX_SELECTION} claims at once")
    found = {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(ids)))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFoundError(f"no claim with id {missing[0]}")
    return [found[i] for i in ids]


def find_user(session: Session, username: str) -> User:
    """Return the active user called `username` or raise NotFoundError."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        raise NotFoundError(f"no active user {username!r}")
    return user


def list_assignees(session: Session) -> list[User]:
    """Return the active users a claim can be assigned to (reviewers and up), by name."""
    roles = [r for r in Role if r.allows(Role.REVIEWER)]
    return list(
        session.scalars(
            select(User).where(User.active.is_(True), User.role.in_(roles)).order_by(User.username)
        )
    )


def assign_claims(
    session: Session, claim_ids: Sequence[int], assignee: User | None, *, by: User
) -> list[Claim]:
    """Assign the claims to `assignee` (None: unassign). Reviewers may take unassigned claims
    for themselves or give back their own; editors assign anyone. All or nothing."""
    claims = get_claims(session, claim_ids)
    if assignee is not None and not assignee.role.allows(Role.REVIEWER):
        raise InvalidInputError(f"{assignee.username} is a {assignee.role.value}, not a reviewer")
    if not by.role.allows(Role.EDITOR):
        require_role(by, Role.REVIEWER)
        if assignee is not None and assignee.id != by.id:
            raise PermissionDeniedError("assigning claims to others needs the editor role")
        for claim in claims:
            require_work_on(by, claim)
    for claim in claims:
        if claim.assignee_id == (assignee.id if assignee else None):
            continue
        before = claim.assignee.username if claim.assignee is not None else None
        claim.assignee = assignee
        claim.version += 1
        if assignee is None:
            _event(session, claim, EventKind.UNASSIGNED, by, before=before)
        else:
            _event(session, claim, EventKind.ASSIGNED, by, before=before, after=assignee.username)
    session.flush()
    return claims


def dismiss_claims(
    session: Session, claim_ids: Sequence[int], *, reason: str, by: User
) -> list[Claim]:
    """Dismiss the claims with a reason (kept in their history). All or nothing."""
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInputError("give a reason to dismiss claims")
    claims = get_claims(session, claim_ids)
    for claim in claims:
        require_work_on(by, claim)
    for claim in claims:
        if change_status(
            session, claim, ClaimStatus.DISMISSED, actor=by.username, user=by, note=reason
        ):
            claim.version += 1
    return claims


def requeue_claims(session: Session, claim_ids: Sequence[int], *, by: User) -> list[Claim]:
    """Queue a fresh check of each claim (outbox rows, sent after the commit). All or nothing."""
    claims = get_claims(session, claim_ids)
    for claim in claims:
        require_work_on(by, claim)
    for claim in claims:
        requeue_claim(session, claim, actor=by.username, user=by)
        claim.version += 1
    return claims


def set_priority(
    session: Session, claim_ids: Sequence[int], priority: int, *, by: User
) -> list[Claim]:
    """Give the claims a priority (see PRIORITIES); the queue shows higher ones first."""
    if priority not in PRIORITIES:
        choices = ", ".join(f"{v} ({k})" for k, v in PRIORITIES.items())
        raise InvalidInputError(f"unknown priority {priority!r}; choose one of {choices}")
    claims = get_claims(session, claim_ids)
    for claim in claims:
        require_work_on(by, claim)
    for claim in claims:
        if claim.priority != priority:
            before = claim.priority
            claim.priority = priority
            claim.version += 1
            _event(
                session,
                claim,
                EventKind.PRIORITY,
                by,
                before=PRIORITIES.get(before, str(before)),
                after=PRIORITIES[priority],
            )
    return claims


def add_comment(session: Session, claim: Claim, body: str, *, by: User) -> Comment:
    """Add a comment to a claim; any reviewer (or higher) may comment on any claim."""
    require_role(by, Role.REVIEWER)
    body = body.strip()
    if not body:
        raise InvalidInputError("a comment cannot be empty")
    if len(body) > MAX_COMMENT_CHARS:
        raise InvalidInputError(f"a comment has at most {MAX_COMMENT_CHARS} characters")
    comment = Comment(claim_id=claim.id, user_id=by.id, body=body)
    session.add(comment)
    session.flush()
    return comment


def record_review(
    session: Session,
    claim_id: int,
    *,
    rating: Rating | str,
    rationale: str,
    user: User,
    expected_version: int | None,
    claim_reviewed: str | None = None,
    cited_evidence_ids: Sequence[int] = (),
) -> Claim:
    """Record a reviewer's verdict with its claimReviewed wording and cited evidence; note
    whether it agrees with the worker's suggestion. ConflictError on a stale version."""
    claim = get_claim(session, claim_id)
    require_work_on(user, claim)
    if claim.status == ClaimStatus.PUBLISHED:
        require_role(user, Role.EDITOR)
    check_version(claim, expected_version)
    wording = " ".join((claim_reviewed or "").split())
    if len(wording) > MAX_CLAIM_REVIEWED_CHARS:
        raise InvalidInputError(
            f"the claim reviewed has at most {MAX_CLAIM_REVIEWED_CHARS} characters"
        )
    evidence = {e.id: e for e in claim.evidence}
    unknown = [i for i in cited_evidence_ids if i not in evidence]
    if unknown:
        raise InvalidInputError(f"evidence {unknown[0]} does not belong to claim {claim_id}")
    record_verdict(
        session,
        claim_id,
        rating=rating,
        rationale=rationale,
        user=user,
        expected_version=expected_version,
    )
    claim.claim_reviewed = wording or claim.text[:MAX_CLAIM_REVIEWED_CHARS]
    claim.verdict_sources = [_citation(evidence[i]) for i in dict.fromkeys(cited_evidence_ids)]
    if claim.assignee_id is None:
        claim.assignee = user
    rating = Rating(rating)
    suggestion = claim.suggestion
    outcome = SuggestionOutcome(
        claim_id=claim.id,
        suggestion_id=suggestion.id if suggestion else None,
        method=suggestion.method if suggestion else None,
        suggested=suggestion.verdict if suggestion else None,
        rating=rating,
        accepted=rating in AGREEING_RATINGS[suggestion.verdict] if suggestion else None,
        user_id=user.id,
    )
    session.add(outcome)
    _event(
        session,
        claim,
        EventKind.VERDICT,
        user,
        rating=rating.value,
        suggested=suggestion.verdict.value if suggestion else None,
        accepted=outcome.accepted,
    )
    session.flush()
    return claim


def _citation(evidence: Evidence) -> dict[str, Any]:
    # Evidence may come from the library (a passage) or from another provider with its own URL.
    title = getattr(evidence, "title", None)
    url = getattr(evidence, "url", None)
    if title is None and evidence.passage is not None:
        title, url = evidence.passage.source.title, evidence.passage.source.url
    return {"evidence_id": evidence.id, "title": title, "url": url}


def publish_verdict(
    session: Session,
    claim_id: int,
    *,
    by: User,
    expected_version: int | None = None,
    two_person_rule: bool = True,
) -> Claim:
    """Approve and publish a verified claim's verdict (editors); under the two-person rule the
    publisher cannot be the verdict's author."""
    require_role(by, Role.EDITOR)
    claim = get_claim(session, claim_id)
    check_version(claim, expected_version)
    if claim.status != ClaimStatus.VERIFIED or claim.verdict is None:
        raise ConflictError(
            f"claim {claim_id} is {claim.status}; only a verified verdict is published"
        )
    if two_person_rule and claim.verdict_by_id == by.id:
        raise PermissionDeniedError(
            "two-person rule: the verdict must be published by an editor other than its author"
        )
    change_status(
        session, claim, ClaimStatus.PUBLISHED, actor=by.username, user=by, note="verdict approved"
    )
    claim.published_by = by
    claim.published_at = utcnow()
    claim.version += 1
    _event(session, claim, EventKind.PUBLISHED, by, rating=claim.verdict.value)
    return claim


def return_claim(
    session: Session,
    claim_id: int,
    *,
    comment: str,
    by: User,
    expected_version: int | None = None,
) -> Claim:
    """Send a verified or published claim back to review with a comment (an editor disagrees);
    it goes back to the verdict's author."""
    require_role(by, Role.EDITOR)
    claim = get_claim(session, claim_id)
    check_version(claim, expected_version)
    if claim.status not in {ClaimStatus.VERIFIED, ClaimStatus.PUBLISHED}:
        raise ConflictError(f"claim {claim_id} is {claim.status}; only a verdict can be sent back")
    note = add_comment(session, claim, comment, by=by)
    change_status(
        session, claim, ClaimStatus.IN_REVIEW, actor=by.username, user=by, note="sent back"
    )
    if claim.verdict_by is not None:
        claim.assignee = claim.verdict_by
    claim.version += 1
    _event(session, claim, EventKind.RETURNED, by, comment_id=note.id)
    return claim


def mark_evidence(
    session: Session, evidence_id: int, mark: EvidenceMarkKind | str | None, *, by: User
) -> EvidenceMark | None:
    """Mark a piece of evidence decisive or irrelevant, or clear its mark (None)."""
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFoundError(f"no evidence with id {evidence_id}")
    claim = get_claim(session, evidence.claim_id)
    require_work_on(by, claim)
    row = session.scalar(select(EvidenceMark).where(EvidenceMark.evidence_id == evidence_id))
    if mark is None or mark == "":
        if row is not None:
            session.delete(row)
            _event(session, claim, EventKind.EVIDENCE_MARKED, by, evidence=evidence_id, mark=None)
        return None
    try:
        kind = EvidenceMarkKind(mark)
    except ValueError:
        choices = ", ".join(m.value for m in EvidenceMarkKind)
        raise InvalidInputError(f"unknown mark {mark!r}; choose one of {choices}") from None
    if row is None:
        row = EvidenceMark(evidence_id=evidence_id, claim_id=claim.id, mark=kind, user_id=by.id)
        session.add(row)
    elif row.mark == kind:
        return row
    row.mark, row.user_id = kind, by.id
    _event(session, claim, EventKind.EVIDENCE_MARKED, by, evidence=evidence_id, mark=kind.value)
    session.flush()
    return row


def evidence_marks(session: Session, claim_id: int) -> dict[int, EvidenceMarkKind]:
    """Return the mark of each marked piece of evidence of a claim."""
    rows = session.execute(
        select(EvidenceMark.evidence_id, EvidenceMark.mark).where(EvidenceMark.claim_id == claim_id)
    )
    return {evidence_id: EvidenceMarkKind(mark) for evidence_id, mark in rows}


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One line of a claim's history: a status change, an edit or a comment."""

    at: datetime
    actor: str
    kind: str  # "status", "comment" or an EventKind value
    from_status: ClaimStatus | None = None
    to_status: ClaimStatus | None = None
    note: str | None = None
    detail: dict[str, Any] | None = None


def claim_timeline(session: Session, claim_id: int) -> list[TimelineEntry]:
    """Return the claim's full history, oldest first: status changes, edits and comments."""
    entries: list[tuple[datetime, int, TimelineEntry]] = []
    for change in session.scalars(select(StatusChange).where(StatusChange.claim_id == claim_id)):
        entries.append(
            (
                change.at,
                0,
                TimelineEntry(
                    at=change.at,
                    actor=change.actor,
                    kind="status",
                    from_status=change.from_status,
                    to_status=change.to_status,
                    note=change.note,
                ),
            )
        )
    for event in session.scalars(select(ClaimEvent).where(ClaimEvent.claim_id == claim_id)):
        entries.append(
            (
                event.at,
                1,
                TimelineEntry(
                    at=event.at, actor=event.actor, kind=event.kind.value, detail=event.detail
                ),
            )
        )
    comments = session.scalars(select(Comment).where(Comment.claim_id == claim_id))
    for comment in comments:
        entries.append(
            (
                comment.at,
                2,
                TimelineEntry(
                    at=comment.at, actor=comment.author.username, kind="comment", note=comment.body
                ),
            )
        )
    entries.sort(key=lambda e: (e[0], e[1]))
    return [entry for _at, _order, entry in entries]


def list_comments(session: Session, claim_id: int) -> list[Comment]:
    """Return the comments on a claim, oldest first."""
    return list(
        session.scalars(
            select(Comment).where(Comment.claim_id == claim_id).order_by(Comment.at, Comment.id)
        )
    )


def suggestion_agreement(session: Session) -> dict[str, int]:
    """Count recorded verdicts that accepted, overrode or had no suggestion to judge."""
    rows = session.execute(
        select(SuggestionOutcome.accepted, func.count(SuggestionOutcome.id)).group_by(
            SuggestionOutcome.accepted
        )
    )
    counts = {"accepted": 0, "overridden": 0, "no_suggestion": 0}
    for accepted, count in rows:
        key = "no_suggestion" if accepted is None else "accepted" if accepted else "overridden"
        counts[key] += count
    return counts
