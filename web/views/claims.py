"""The review queue with its filters and bulk actions, a claim's review page and its actions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import (
    Blueprint,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from claims import webhooks
from claims.desk import (
    PRIORITIES,
    add_comment,
    assign_claims,
    claim_timeline,
    dismiss_claims,
    evidence_marks,
    find_user,
    list_assignees,
    list_comments,
    mark_evidence,
    may_work_on,
    publish_verdict,
    record_review,
    requeue_claims,
    require_work_on,
    return_claim,
    set_priority,
)
from claims.errors import ConflictError, InvalidInputError, NotFoundError
from claims.evidence.attached import attach_passage, search_library_for_claim
from claims.evidence.web import list_web_requests, request_web_evidence
from claims.models import ArchivedPage, Claim, ClaimStatus, Role, SuggestedVerdict, User
from claims.recurrence import published_verdict, sightings
from claims.review import (
    Cursor,
    QueueFilters,
    count_claims_by_status,
    document_exists,
    get_claim_for_review,
    languages_in_use,
    list_claims,
    statuses_of,
)
from claims.workflow import ACTIVE_STATUSES
from web.auth import role_required
from web.extensions import commit, db, get_settings
from web.views.export import publisher
from web.views.forms import VerdictForm
from web.views.markup import mark_spans

bp = Blueprint("claims", __name__)

MAX_STATUS_IDS = 500
BULK_ACTIONS = ("assign_self", "assign", "unassign", "dismiss", "requeue", "priority")


def _positive_int(raw: str, name: str) -> int:
    if not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        raise InvalidInputError(f"{name} must be a positive whole number, not {raw!r}")
    return int(raw)


def _choice(raw: str, enum: type[ClaimStatus] | type[SuggestedVerdict], name: str):  # type: ignore[no-untyped-def]
    try:
        return enum(raw)
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise InvalidInputError(f"unknown {name} {raw!r}; choose one of {choices}") from None


def _day(raw: str, name: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInputError(f"{name} must be a date like 2026-01-31, not {raw!r}") from None


def parse_filters(args: Mapping[str, str], me: User) -> QueueFilters:
    """Read the queue's filters from a query string; InvalidInputError names a bad one."""

    def get(name: str) -> str:
        return args.get(name, "").strip()

    status = _choice(get("status"), ClaimStatus, "status") if get("status") else None
    document_id = _positive_int(get("document"), "document") if get("document") else None
    if document_id is not None and not document_exists(db(), document_id):
        raise InvalidInputError(f"no document with id {document_id}")
    assignee, unassigned = get("assignee"), False
    assignee_id = None
    if assignee == "none":
        unassigned = True
    elif assignee == "me":
        assignee_id = me.id
    elif assignee:
        try:
            assignee_id = find_user(db(), assignee).id
        except NotFoundError as exc:
            raise InvalidInputError(str(exc)) from None
    suggested = get("suggested")
    language = get("language")
    if language and not language.replace("-", "").isalnum():
        raise InvalidInputError(f"unknown language {language!r}")
    since = _day(get("since"), "since") if get("since") else None
    until = _day(get("until"), "until") if get("until") else None
    if since and until and since > until:
        raise InvalidInputError("the date range ends before it starts")
    return QueueFilters(
        status=status,
        document_id=document_id,
        speaker=get("speaker")[:300] or None,
        assignee_id=assignee_id,
        unassigned=unassigned,
        suggested=_choice(suggested, SuggestedVerdict, "suggested verdict") if suggested else None,
        language=language or None,
        since=since,
        until=until,
        search=get("q")[:500] or None,
    )


FILTER_NAMES = ("status", "document", "speaker", "assignee", "suggested", "language", "since")
FILTER_NAMES += ("until", "q")


@bp.get("/")
def index() -> ResponseReturnValue:
    return redirect(url_for("claims.queue"))


@bp.get("/claims")
def queue() -> ResponseReturnValue:
    session = db()
    filters = parse_filters(request.args, current_user.row)
    after_raw = request.args.get("after", "").strip()
    after = Cursor.decode(after_raw) if after_raw else None
    result = list_claims(session, filters, after=after)
    active = {name: request.args[name] for name in FILTER_NAMES if request.args.get(name)}
    can_triage = current_user.allows(Role.REVIEWER)
    return render_template(
        "claims/list.html",
        result=result,
        counts=count_claims_by_status(session, filters),
        filters=filters,
        active=active,
        after=after_raw,
        status=filters.status,
        document_id=filters.document_id,
        languages=languages_in_use(session),
        assignees=list_assignees(session),
        suggested_verdicts=list(SuggestedVerdict),
        priorities=PRIORITIES,
        can_triage=can_triage,
        can_assign_others=current_user.allows(Role.EDITOR),
        workable={c.id for c in result.claims if may_work_on(current_user.row, c)},
        here=request.full_path.rstrip("?"),
    )


@bp.get("/claims/status.json")
def statuses() -> ResponseReturnValue:
    raw = [part.strip() for part in request.args.get("ids", "").split(",") if part.strip()]
    if len(raw) > MAX_STATUS_IDS:
        raise InvalidInputError(f"ask for at most {MAX_STATUS_IDS} ids at once")
    ids = [_positive_int(part, "each id") for part in raw]
    return jsonify({str(i): status.value for i, status in statuses_of(db(), ids).items()})


@bp.get("/claims/counts.json")
def counts() -> ResponseReturnValue:
    """The queue's counts per status under the filters of the query string, for its counts bar."""
    by_status = count_claims_by_status(db(), parse_filters(request.args, current_user.row))
    return jsonify({"counts": by_status, "total": sum(by_status.values())})


def _safe_next(target: str | None) -> str | None:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def _ids(values: list[str]) -> list[int]:
    return [_positive_int(v.strip(), "each claim id") for v in values if v.strip()]


@bp.post("/claims/bulk")
@role_required(Role.REVIEWER)
def bulk() -> ResponseReturnValue:
    """Apply one action to the selected claims: all of them change, or none."""
    session = db()
    back = _safe_next(request.form.get("next")) or url_for("claims.queue")
    action = request.form.get("action", "")
    if action not in BULK_ACTIONS:
        raise InvalidInputError(
            f"unknown action {action!r}; choose one of {', '.join(BULK_ACTIONS)}"
        )
    ids = _ids(request.form.getlist("ids"))
    me: User = current_user.row
    queued = False
    if action == "assign_self":
        claims = assign_claims(session, ids, me, by=me)
        message = _("%(n)d claims assigned to you.", n=len(claims))
    elif action == "assign":
        assignee = find_user(session, request.form.get("assignee", "").strip())
        claims = assign_claims(session, ids, assignee, by=me)
        message = _("%(n)d claims assigned to %(name)s.", n=len(claims), name=assignee.username)
    elif action == "unassign":
        claims = assign_claims(session, ids, None, by=me)
        message = _("%(n)d claims unassigned.", n=len(claims))
    elif action == "dismiss":
        claims = dismiss_claims(session, ids, reason=request.form.get("reason", ""), by=me)
        message = _("%(n)d claims dismissed.", n=len(claims))
    elif action == "requeue":
        claims = requeue_claims(session, ids, by=me)
        queued = True
        message = _("%(n)d claims queued for a fresh check.", n=len(claims))
    else:
        raw = request.form.get("priority", "").strip()
        try:
            priority = int(raw)
        except ValueError:
            raise InvalidInputError(f"unknown priority {raw!r}") from None
        claims = set_priority(session, ids, priority, by=me)
        message = _(
            "%(n)d claims now have %(priority)s priority.",
            n=len(claims),
            priority=PRIORITIES[priority],
        )
    commit(queued_checks=queued)
    flash(message, "success")
    return redirect(back)


def _verdict_form_for(claim: Claim) -> VerdictForm:
    return VerdictForm(
        formdata=None,
        data={
            "rating": claim.verdict.value if claim.verdict else "",
            "claim_reviewed": claim.claim_reviewed or "",
            "rationale": claim.verdict_rationale or "",
            "version": str(claim.version),
        },
    )


def _cited_ids(claim: Claim) -> set[int]:
    return {int(s["evidence_id"]) for s in claim.verdict_sources or [] if "evidence_id" in s}


def _render_claim(claim: Claim, form: VerdictForm | None, status: int = 200) -> ResponseReturnValue:
    session = db()
    me: User = current_user.row
    reviewer = may_work_on(me, claim)
    editor = current_user.allows(Role.EDITOR)
    paragraphs = mark_spans(claim.document.text, [(claim.start, claim.end, claim)])
    settings = get_settings()
    return (
        render_template(
            "claims/detail.html",
            claim=claim,
            paragraphs=paragraphs,
            suggestion=claim.suggestion,
            form=(form or _verdict_form_for(claim)) if reviewer else None,
            can_review=reviewer,
            can_comment=current_user.allows(Role.REVIEWER),
            can_take=current_user.allows(Role.REVIEWER) and claim.assignee_id is None,
            is_editor=editor,
            can_publish=editor
            and claim.status == ClaimStatus.VERIFIED
            and not (settings.two_person_rule and claim.verdict_by_id == me.id),
            two_person_rule=settings.two_person_rule,
            checking=claim.status in ACTIVE_STATUSES,
            timeline=claim_timeline(session, claim.id),
            comments=list_comments(session, claim.id),
            marks=evidence_marks(session, claim.id),
            cited=_cited_ids(claim),
            assignees=list_assignees(session) if editor else [],
            priorities=PRIORITIES,
            web_requests=list_web_requests(session, claim.id),
            archive_endpoint="claims.archived_page",
            sightings=sightings(session, claim.id),
            earlier_verdict=published_verdict(session, claim.id),
        ),
        status,
    )


@bp.get("/claims/<int:claim_id>")
def detail(claim_id: int) -> ResponseReturnValue:
    return _render_claim(get_claim_for_review(db(), claim_id), None)


@bp.post("/claims/<int:claim_id>/verdict")
@role_required(Role.REVIEWER)
def verdict(claim_id: int) -> ResponseReturnValue:
    session = db()
    claim = get_claim_for_review(session, claim_id)
    form = VerdictForm()
    if not form.validate_on_submit():
        return _render_claim(claim, form, 400)
    try:
        record_review(
            session,
            claim_id,
            rating=form.rating.data,
            rationale=form.rationale.data,
            claim_reviewed=form.claim_reviewed.data,
            cited_evidence_ids=_ids(request.form.getlist("sources")),
            user=current_user.row,
            expected_version=int(form.version.data),
        )
    except ConflictError as exc:
        session.rollback()
        claim = get_claim_for_review(session, claim_id)
        retry = _verdict_form_for(claim)
        retry.rating.data = form.rating.data
        retry.claim_reviewed.data = form.claim_reviewed.data
        retry.rationale.data = form.rationale.data
        return (
            render_template(
                "claims/conflict.html",
                claim=claim,
                message=str(exc),
                submitted_rating=form.rating.data,
                submitted_claim_reviewed=form.claim_reviewed.data,
                submitted_rationale=form.rationale.data,
                form=retry,
                cited=set(),
                checking=claim.status in ACTIVE_STATUSES,
            ),
            409,
        )
    except InvalidInputError as exc:
        session.rollback()
        form.form_errors.append(str(exc))
        return _render_claim(get_claim_for_review(session, claim_id), form, 400)
    commit()
    flash(
        _("Verdict “%(rating)s” recorded on claim %(id)d.", rating=form.rating.data, id=claim_id),
        "success",
    )
    return redirect(url_for("claims.detail", claim_id=claim_id))


def _back_to(claim_id: int) -> ResponseReturnValue:
    return redirect(url_for("claims.detail", claim_id=claim_id))


def _version() -> int | None:
    raw = request.form.get("version", "").strip()
    return _positive_int(raw, "version") if raw else None


@bp.post("/claims/<int:claim_id>/requeue")
@role_required(Role.REVIEWER)
def requeue(claim_id: int) -> ResponseReturnValue:
    requeue_claims(db(), [claim_id], by=current_user.row)
    commit(queued_checks=True)
    flash(_("A fresh check of claim %(id)d is queued.", id=claim_id), "success")
    return _back_to(claim_id)


@bp.post("/claims/<int:claim_id>/assign")
@role_required(Role.REVIEWER)
def assign(claim_id: int) -> ResponseReturnValue:
    session = db()
    me: User = current_user.row
    raw = request.form.get("assignee", "").strip()
    assignee = None if not raw else me if raw == "me" else find_user(session, raw)
    assign_claims(session, [claim_id], assignee, by=me)
    commit()
    if assignee is None:
        flash(_("Claim %(id)d is unassigned.", id=claim_id), "success")
    else:
        flash(
            _("Claim %(id)d is assigned to %(name)s.", id=claim_id, name=assignee.username),
            "success",
        )
    return _back_to(claim_id)


@bp.post("/claims/<int:claim_id>/dismiss")
@role_required(Role.REVIEWER)
def dismiss(claim_id: int) -> ResponseReturnValue:
    dismiss_claims(db(), [claim_id], reason=request.form.get("reason", ""), by=current_user.row)
    commit()
    flash(_("Claim %(id)d is dismissed.", id=claim_id), "success")
    return _back_to(claim_id)


@bp.post("/claims/<int:claim_id>/priority")
@role_required(Role.REVIEWER)
def priority(claim_id: int) -> ResponseReturnValue:
    raw = request.form.get("priority", "").strip()
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInputError(f"unknown priority {raw!r}") from None
    set_priority(db(), [claim_id], value, by=current_user.row)
    commit()
    flash(
        _("Claim %(id)d now has %(priority)s priority.", id=claim_id, priority=PRIORITIES[value]),
        "success",
    )
    return _back_to(claim_id)


@bp.post("/claims/<int:claim_id>/comments")
@role_required(Role.REVIEWER)
def comment(claim_id: int) -> ResponseReturnValue:
    session = db()
    claim = get_claim_for_review(session, claim_id)
    add_comment(session, claim, request.form.get("body", ""), by=current_user.row)
    commit()
    flash(_("Comment added."), "success")
    return redirect(url_for("claims.detail", claim_id=claim_id, _anchor="comments"))


@bp.post("/claims/<int:claim_id>/publish")
@role_required(Role.EDITOR)
def publish(claim_id: int) -> ResponseReturnValue:
    session = db()
    claim = publish_verdict(
        session,
        claim_id,
        by=current_user.row,
        expected_version=_version(),
        two_person_rule=get_settings().two_person_rule,
    )
    # Registered webhooks hear of the publication from the same transaction, as through the API.
    queued = bool(webhooks.enqueue_publication(session, claim, publisher()))
    commit(queued_checks=queued)
    flash(_("The verdict on claim %(id)d is published.", id=claim_id), "success")
    return _back_to(claim_id)


@bp.post("/claims/<int:claim_id>/return")
@role_required(Role.EDITOR)
def send_back(claim_id: int) -> ResponseReturnValue:
    return_claim(
        db(),
        claim_id,
        comment=request.form.get("comment", ""),
        by=current_user.row,
        expected_version=_version(),
    )
    commit()
    flash(_("Claim %(id)d is sent back to review with your comment.", id=claim_id), "success")
    return _back_to(claim_id)


@bp.post("/claims/<int:claim_id>/evidence/<int:evidence_id>/mark")
@role_required(Role.REVIEWER)
def mark(claim_id: int, evidence_id: int) -> ResponseReturnValue:
    session = db()
    claim = get_claim_for_review(session, claim_id)
    if evidence_id not in {e.id for e in claim.evidence}:
        raise InvalidInputError(f"evidence {evidence_id} does not belong to claim {claim_id}")
    mark_evidence(session, evidence_id, request.form.get("mark") or None, by=current_user.row)
    commit()
    return redirect(url_for("claims.detail", claim_id=claim_id, _anchor=f"evidence-{evidence_id}"))


@bp.post("/claims/<int:claim_id>/sources")
@role_required(Role.REVIEWER)
def attach_source(claim_id: int) -> ResponseReturnValue:
    url = request.form.get("url", "")
    session = db()
    require_work_on(current_user.row, get_claim_for_review(session, claim_id))
    request_web_evidence(session, claim_id, url, user=current_user.row)
    commit(queued_checks=True)
    flash(
        _("The page %(url)s will be fetched, archived and attached as evidence.", url=url.strip()),
        "success",
    )
    return redirect(url_for("claims.detail", claim_id=claim_id, _anchor="evidence-title"))


@bp.get("/claims/<int:claim_id>/library")
@role_required(Role.REVIEWER)
def library(claim_id: int) -> ResponseReturnValue:
    """Search the source library for a passage to attach to the claim."""
    session = db()
    claim = get_claim_for_review(session, claim_id)
    require_work_on(current_user.row, claim)
    query = request.args.get("q", "").strip()
    error, status = None, 200
    try:
        matches = search_library_for_claim(session, claim, query)
    except InvalidInputError as exc:
        matches, error, status = [], str(exc), 400
    page = render_template(
        "claims/library.html", claim=claim, query=query, matches=matches, error=error
    )
    return page, status


@bp.post("/claims/<int:claim_id>/library")
@role_required(Role.REVIEWER)
def attach_library_passage(claim_id: int) -> ResponseReturnValue:
    raw = request.form.get("passage", "").strip()
    if not raw:
        raise InvalidInputError("choose a passage of the library to attach")
    passage_id = _positive_int(raw, "passage")
    evidence, added = attach_passage(db(), claim_id, passage_id, by=current_user.row)
    evidence_id, title = evidence.id, evidence.title
    commit()
    if added:
        flash(_("The passage of “%(title)s” is attached as evidence.", title=title), "success")
    else:
        flash(_("This passage is already evidence of claim %(id)d.", id=claim_id), "info")
    return redirect(url_for("claims.detail", claim_id=claim_id, _anchor=f"evidence-{evidence_id}"))


@bp.get("/archive/<int:archive_id>")
def archived_page(archive_id: int) -> ResponseReturnValue:
    page = db().get(ArchivedPage, archive_id)
    if page is None:
        raise NotFoundError(f"no archived page with id {archive_id}")
    header = (
        f"Archived copy of {page.url}\nFinal address: {page.final_url}\n"
        f"Fetched: {page.fetched_at.isoformat()}\nSHA-256 of the page: {page.sha256}\n"
        f"Title: {page.title or '-'}\n\n"
    )
    # Plain text: the archived page is shown, never run.
    return header + page.text, 200, {"Content-Type": "text/plain; charset=utf-8"}
