"""One new text ingested twice at the same moment (two processes, two CLI commands, two API
requests) is stored once: both callers get the same document, its claims exist once and each is
queued for checking once. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from claims.config import Settings
from claims.db import session_scope
from claims.models import Claim, ClaimOccurrence, Document, OutboxMessage, StatusChange
from claims.workflow import CHECK_TASK
from tests.conftest import ROOT, TEST_SECRET, base_env
from tests.integration.web.api_helpers import bearer, make_token
from web.app import create_app

ROUNDS = 3

# Both processes wait for each other just before inserting the document, after both have looked
# for it by its digest and found nothing: the moment at which the second used to fail.
MEET = r"""
import sys, time
from pathlib import Path

def meet(barrier, name):
    Path(barrier).mkdir(exist_ok=True)
    Path(barrier, name).touch()
    deadline = time.monotonic() + 60
    while len(list(Path(barrier).iterdir())) < 2:
        if time.monotonic() > deadline:
            sys.exit(f"{name}: the other ingest never reached the insert at {barrier}")
        time.sleep(0.001)

def inserts_document(statement):
    return statement.lstrip().upper().startswith("INSERT INTO DOCUMENTS")
"""

# One ingest per round and process, through claims.workflow as the CLI and the API call it.
INGEST = (
    MEET
    + r"""
import json
from sqlalchemy import event
from claims.db import get_engine, session_scope
from claims.workflow import ingest_document

url, barrier, name, *files = sys.argv[1:]
engine = get_engine(url)
meeting = {"round": None}

def before_insert(conn, cursor, statement, *args):
    if meeting["round"] is not None and inserts_document(statement):
        meet(str(Path(barrier, meeting["round"])), name)
        meeting["round"] = None

event.listen(engine, "before_cursor_execute", before_insert)
for number, path in enumerate(files):
    meeting["round"] = str(number)
    with session_scope(engine) as session:
        result = ingest_document(session, Path(path).read_text(), path, actor="cli")
        line = {
            "document": result.document.id,
            "created": result.created,
            "claims": len(result.document.claims),
        }
    print(json.dumps(line), flush=True)
    assert meeting["round"] is None, "the ingest did not insert a document"
"""
)

# `claimtrack ARGS`, meeting the other process just before the document's insert.
CLI = (
    MEET
    + r"""
from sqlalchemy import event
from sqlalchemy.engine import Engine
from web.cli import main

barrier, name, *args = sys.argv[1:]
waiting = [True]

def before_insert(conn, cursor, statement, *rest):
    if waiting[0] and inserts_document(statement):
        waiting[0] = False
        meet(barrier, name)

event.listen(Engine, "before_cursor_execute", before_insert)
main(args, prog_name="claimtrack")
"""
)


def _article(round_: int) -> str:
    # New figures each round, so that each round's text is new.
    return (
        f"Harbour report, part {round_}\n\n"
        f"The port handled {12 + round_} million containers in {2010 + round_}, its director "
        f"said.\n\nFerry fares rose by {3 + round_}% last spring, the transport authority "
        "reported."
    )


def _assert_stored_once(engine: Engine, document_id: int, text: str) -> int:
    """Check the document, its claims, their history and their checks exist once; return the
    number of claims."""
    with session_scope(engine) as session:
        documents = session.scalars(select(Document).where(Document.text == text)).all()
        assert [d.id for d in documents] == [document_id]
        claims = session.scalars(select(Claim).where(Claim.document_id == document_id)).all()
        assert claims, "the segmenter found no claim in the test article"
        spans = [(c.start, c.end) for c in claims]
        assert len(set(spans)) == len(spans), f"claims stored twice: {sorted(spans)}"
        claim_ids = sorted(c.id for c in claims)
        queued = session.scalars(
            select(OutboxMessage.args).where(OutboxMessage.task == CHECK_TASK)
        ).all()
        assert sorted(args[0] for args in queued if args[0] in claim_ids) == claim_ids
        ingested = session.scalars(
            select(StatusChange.claim_id).where(
                StatusChange.claim_id.in_(claim_ids), StatusChange.note == "ingested"
            )
        ).all()
        assert sorted(ingested) == claim_ids
        grouped = session.scalars(
            select(ClaimOccurrence.claim_id).where(ClaimOccurrence.claim_id.in_(claim_ids))
        ).all()
        assert sorted(grouped) == claim_ids
        return len(claim_ids)


def test_two_processes_ingesting_one_new_text_at_once_store_it_once(
    engine: Engine, settings: Settings, data_dir: Path, tmp_path: Path
) -> None:
    paths = []
    for round_ in range(ROUNDS):
        path = tmp_path / f"article-{round_}.txt"
        path.write_text(_article(round_), encoding="utf-8")
        paths.append(str(path))
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", INGEST, settings.database_url, str(barrier), name, *paths],
            env=base_env(data_dir),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    outputs = [p.communicate(timeout=240) for p in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err[-3000:]
    answers = [[json.loads(line) for line in out.splitlines()] for out, _ in outputs]

    for round_, (first, second) in enumerate(zip(*answers, strict=True)):
        assert first["document"] == second["document"], (round_, first, second)
        assert sorted([first["created"], second["created"]]) == [False, True], round_
        claims = _assert_stored_once(engine, first["document"], _article(round_))
        assert first["claims"] == second["claims"] == claims, (round_, first, second)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == ROUNDS


def test_two_cli_ingests_of_one_new_file_at_once_print_one_document(
    engine: Engine, settings: Settings, data_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "article.txt"
    path.write_text(_article(0), encoding="utf-8")
    env = base_env(data_dir, CLAIMTRACK_DATABASE_URL=settings.database_url)
    if settings.production:
        env["CLAIMTRACK_SECRET_KEY"] = TEST_SECRET
    barrier = tmp_path / "barrier"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", CLI, str(barrier), name, "ingest", str(path)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    outputs = [p.communicate(timeout=240) for p in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err[-3000:]
    printed = sorted(out.splitlines()[0] for out, _ in outputs)

    with session_scope(engine) as session:
        document_id = session.scalar(select(Document.id))
    claims = _assert_stored_once(engine, document_id, _article(0))  # type: ignore[arg-type]
    assert printed == [
        f"document {document_id} was already ingested ({claims} claims)",
        f"document {document_id}: {claims} claims queued for checking",
    ]


def test_two_api_requests_submitting_one_new_text_at_once_get_one_document(
    engine: Engine, settings: Settings
) -> None:
    app = create_app(settings)
    app.config["TESTING"] = True
    headers = bearer(make_token(engine, "desk-bot", "reviewer"))
    text = _article(0)
    # Both requests meet just before inserting the document, in separate threads, each with its
    # own app context and database session.
    at_insert = threading.Barrier(2, timeout=60)
    met: list[bool] = []

    def before_insert(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO DOCUMENTS"):
            met.append(True)
            at_insert.wait()

    answers: list[Any] = [None, None]

    def submit(index: int) -> None:
        answers[index] = app.test_client().post(
            "/api/v1/documents", json={"text": text}, headers=headers
        )

    event.listen(engine, "before_cursor_execute", before_insert)
    try:
        threads = [threading.Thread(target=submit, args=(n,)) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        event.remove(engine, "before_cursor_execute", before_insert)
    assert met == [True, True], "the requests did not meet at the insert"

    bodies = [r.get_json() for r in answers]
    assert sorted(r.status_code for r in answers) == [200, 201], bodies
    assert sorted(b["created"] for b in bodies) == [False, True]
    assert bodies[0]["document"] == bodies[1]["document"]
    document = bodies[0]["document"]
    assert _assert_stored_once(engine, document["id"], text) == len(document["claims"])
