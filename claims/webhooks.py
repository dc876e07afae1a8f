"""Webhooks: an admin registers a URL; each published verdict is POSTed to it as ClaimReview JSON,
signed with HMAC-SHA256, retried with backoff on transient failures, every attempt logged.

A delivery is written (with its payload, fixed at publication) in the transaction that publishes
the claim, together with the outbox row that asks a worker to send it. Sending happens outside any
database transaction: `prepare_attempt`, then `send_delivery`, then `record_attempt`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from claims.db import utcnow
from claims.errors import FetchError, InvalidInputError, NotFoundError
from claims.fetch import USER_AGENT, check_address, pinned_transport
from claims.models import (
    Claim,
    DeliveryState,
    OutboxMessage,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from claims.reports.claimreview import Publisher, check_claim_review, claim_review

DELIVER_TASK = "claimtrack.deliver_webhook"
EVENT_PUBLISHED = "verdict.published"
SIGNATURE_HEADER = "X-Claimtrack-Signature"
TIMESTAMP_HEADER = "X-Claimtrack-Timestamp"
MAX_ATTEMPTS = 6


@dataclass(frozen=True, slots=True)
class RegisteredWebhook:
    row: Webhook
    secret: str  # shown once, to the admin who registers the URL


def sign(secret: str, body: bytes) -> str:
    """Return the signature header value of `body`: 'sha256=' and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def add_webhook(session: Session, url: str, *, created_by: str) -> RegisteredWebhook:
    """Register `url` to receive published verdicts; return it with its signing secret."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or len(url) > 2000:
        raise InvalidInputError(f"a webhook needs an http or https URL, not {url!r}")
    secret = "whsec_" + secrets.token_urlsafe(32)
    row = Webhook(url=url, secret=secret, active=True, created_by=created_by)
    session.add(row)
    session.flush()
    return RegisteredWebhook(row, secret)


def list_webhooks(session: Session) -> list[Webhook]:
    """Return every registered webhook, newest first."""
    return list(session.scalars(select(Webhook).order_by(Webhook.id.desc())))


def get_webhook(session: Session, webhook_id: int) -> Webhook:
    """Return the webhook with this id or raise NotFoundError."""
    row = session.get(Webhook, webhook_id)
    if row is None:
        raise NotFoundError(f"no webhook with id {webhook_id}")
    return row


def deactivate_webhook(session: Session, webhook_id: int) -> Webhook:
    """Stop sending to a webhook; its delivery log is kept."""
    row = get_webhook(session, webhook_id)
    row.active = False
    return row


def list_deliveries(
    session: Session, webhook_id: int, *, limit: int = 100
) -> list[WebhookDelivery]:
    """Return the latest deliveries of a webhook, each with its attempts, newest first."""
    get_webhook(session, webhook_id)
    return list(
        session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook_id)
            .options(selectinload(WebhookDelivery.log))
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


def enqueue_publication(
    session: Session, claim: Claim, publisher: Publisher
) -> list[WebhookDelivery]:
    """Queue one delivery of the claim's ClaimReview to every active webhook, sent once this
    transaction commits; a delivery already queued for this version is not queued again."""
    hooks = session.scalars(select(Webhook).where(Webhook.active.is_(True))).all()
    if not hooks:
        return []
    payload = check_claim_review(claim_review(claim, publisher), claim.id)
    queued = []
    for hook in hooks:
        exists = session.scalar(
            select(WebhookDelivery.id).where(
                WebhookDelivery.webhook_id == hook.id,
                WebhookDelivery.claim_id == claim.id,
                WebhookDelivery.claim_version == claim.version,
                WebhookDelivery.event == EVENT_PUBLISHED,
            )
        )
        if exists is not None:
            continue
        delivery = WebhookDelivery(
            webhook_id=hook.id,
            claim_id=claim.id,
            claim_version=claim.version,
            event=EVENT_PUBLISHED,
            payload=payload,
            state=DeliveryState.PENDING,
            attempts=0,
        )
        session.add(delivery)
        session.flush()
        session.add(OutboxMessage(task=DELIVER_TASK, args=[delivery.id]))
        queued.append(delivery)
    return queued


@dataclass(frozen=True, slots=True)
class PreparedAttempt:
    delivery_id: int
    number: int
    url: str
    secret: str
    event: str
    body: bytes


@dataclass(frozen=True, slots=True)
class AttemptResult:
    status_code: int | None
    error: str | None
    duration_ms: int
    transient: bool

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def prepare_attempt(session: Session, delivery_id: int) -> PreparedAttempt | None:
    """Return what the next attempt of a pending delivery sends; None when there is nothing to do
    (delivered, failed for good, its webhook removed, or no such delivery)."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return None
    hook = delivery.webhook
    if not hook.active:
        return None
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    return PreparedAttempt(
        delivery_id=delivery.id,
        number=delivery.attempts + 1,
        url=hook.url,
        secret=hook.secret,
        event=delivery.event,
        body=body,
    )


def send_delivery(
    prepared: PreparedAttempt,
    *,
    timeout: float = 10.0,
    allow_private: bool = False,
    client: httpx.Client | None = None,
) -> AttemptResult:
    """POST a prepared delivery, signed; return what the receiver answered (never raises)."""
    started = time.monotonic()

    def result(status: int | None, error: str | None, transient: bool) -> AttemptResult:
        elapsed = int((time.monotonic() - started) * 1000)
        return AttemptResult(status, error, elapsed, transient)

    try:
        check_address(prepared.url, allow_private=allow_private)
    except FetchError as exc:
        return result(None, str(exc), exc.transient)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Claimtrack-Event": prepared.event,
        "X-Claimtrack-Delivery": str(prepared.delivery_id),
        "X-Claimtrack-Attempt": str(prepared.number),
        TIMESTAMP_HEADER: str(int(time.time())),
        SIGNATURE_HEADER: sign(prepared.secret, prepared.body),
    }
    http = client or httpx.Client(
        transport=pinned_transport(allow_private=allow_private),
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
    )
    try:
        response = http.post(prepared.url, content=prepared.body, headers=headers)
    except FetchError as exc:  # the name now resolves to a private address
        return result(None, str(exc), exc.transient)
    except httpx.TimeoutException:
        return result(None, f"{prepared.url} did not answer in {timeout:g} s", True)
    except httpx.HTTPError as exc:
        return result(None, f"cannot reach {prepared.url}: {exc}", True)
    finally:
        if client is None:
            http.close()
    status = response.status_code
    if 200 <= status < 300:
        return result(status, None, False)
    transient = status == 429 or status >= 500
    return result(status, f"{prepared.url} answered HTTP {status}", transient)


def record_attempt(
    session: Session, prepared: PreparedAttempt, outcome: AttemptResult, *, final: bool
) -> DeliveryState:
    """Log an attempt and move the delivery on: delivered, failed (permanent error or `final`), or
    still pending for a retry. Logging the same attempt twice is harmless."""
    delivery = session.get(WebhookDelivery, prepared.delivery_id)
    if delivery is None:
        return DeliveryState.FAILED
    if delivery.state != DeliveryState.PENDING or delivery.attempts >= prepared.number:
        return delivery.state
    session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            number=prepared.number,
            status_code=outcome.status_code,
            error=(outcome.error or None) and outcome.error[:2000],
            duration_ms=outcome.duration_ms,
        )
    )
    delivery.attempts = prepared.number
    if outcome.ok:
        delivery.state = DeliveryState.DELIVERED
        delivery.delivered_at = utcnow()
    elif final or not outcome.transient or prepared.number >= MAX_ATTEMPTS:
        delivery.state = DeliveryState.FAILED
    return delivery.state


def delivery_to_dict(delivery: WebhookDelivery) -> dict[str, Any]:
    """Return a delivery and its attempts as plain JSON values."""
    return {
        "id": delivery.id,
        "webhook_id": delivery.webhook_id,
        "claim_id": delivery.claim_id,
        "claim_version": delivery.claim_version,
        "event": delivery.event,
        "state": delivery.state.value,
        "attempts": [
            {
                "number": a.number,
                "at": a.at.isoformat(),
                "status_code": a.status_code,
                "error": a.error,
                "duration_ms": a.duration_ms,
            }
            for a in delivery.log
        ],
        "created_at": delivery.created_at.isoformat(),
        "delivered_at": delivery.delivered_at.isoformat() if delivery.delivered_at else None,
    }
