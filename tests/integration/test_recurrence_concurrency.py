"""A new claim ingested by two processes at the same moment is tracked as one group, whether the
two documents say it word for word or as a near repeat, and the migration merges the duplicate
groups an earlier version could create. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from claims.api_tokens import create_token
from claims.config import Settings
from claims.db import current_revision, get_engine, session_scope, upgrade_database, utcnow
from claims.matching import ClaimPrint
from claims.models import (
    Claim,
    ClaimFingerprint,
    ClaimGroup,
    ClaimOccurrence,
    ClaimStatus,
    Document,
)
from claims.models.core import queue_score
from claims.workflow import ingest_document
from tests.conftest import ROOT, base_env
from web.app import create_app

ROUNDS = 3

# One ingest per round and process, each round's document read from a file. Both processes
# meet before each ingest (SQLite) or, on PostgreSQL, just before grouping their claims, after
# both have stored them: without the grouping lock each then found no earlier claim and founded
# a group of its own (two groups for a near repeat; an exact repeat was saved by the unique key).
# (SQLite: the first insert of an ingest takes the single write lock, so the other waits there.)
INGEST = r"""
import json, sys, time
from pathlib import Path
from sqlalchemy import event
from claims.db import get_engine, session_scope
from claims.workflow import ingest_document

url, barrier, name, *files = sys.argv[1:]
engine = get_engine(url)
meeting = {"round": None}

def meet():
    here = Path(barrier, meeting["round"])
    here.mkdir(exist_ok=True)
    (here / name).touch()
    deadline = time.monotonic() + 60
    while len(list(here.iterdir())) < 2:
        if time.monotonic() > deadline:
            sys.exit(f"{name}: the other ingest never arrived in round {meeting['round']}")
        time.sleep(0.001)
    meeting["round"] = None

def before_grouping(conn, cursor, statement, *args):
    if meeting["round"] and statement.lstrip().upper().startswith("SELECT PG_ADVISORY_XACT_LOCK"):
        meet()

if engine.dialect.name == "postgresql":
    event.listen(engine, "before_cursor_execute", before_grouping)
for number, path in enumerate(files):
    meeting["round"] = str(number)
    if engine.dialect.name != "postgresql":
        meet()
    with session_scope(engine) as session:
        document = ingest_document(session, Path(path).read_text(), path, actor="cli").document
        print(json.dumps({"round": number, "document": document.id}), flush=True)
    assert meeting["round"] is None, "the ingest did not group its claims"
"""


def _documents(round_: int, near: bool) -> tuple[str, str, str, str]:
    # A new sentence each round, in both documents (reworded in the second when `near`); the
    # figures keep rounds apart.
    shared = (
        f"The regional council spent {410 + round_ * 37} million euros on bridge repairs in "
        f"{2001 + round_}, the audit office said."
    )
    said = shared.replace("office said", "office reported") if near else shared
    first = (
        f"Council spending, part {round_}\n\n{shared}\n\nTram ridership in the north grew by "
        f"{11 + round_}% last year, the operator reported."
    )
    second = (
        f"Audit findings, part {round_}\n\nThe city planted {4500 + round_ * 100} trees along "
        f"the river in {2015 + round_}, the mayor announced.\n\n{said}"
    )
    return shared, said, first, second


def _viewer(engine: Engine, settings: Settings) -> tuple[FlaskClient, dict[str, str]]:
    with session_scope(engine) as session:
        token = create_token(session, "auditor", "viewer", created_by="test").token
    app = create_app(settings)
    app.config["TESTING"] = True
    return app.test_client(), {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("near", [False, True], ids=["exact", "near"])
def test_two_processes_ingesting_a_new_claim_at_once_track_it_as_one(
    engine: Engine, settings: Settings, data_dir: Path, tmp_path: Path, near: bool
) -> None:
    shared_texts, files = [], {"a": [], "b": []}
    for round_ in range(ROUNDS):
        shared, said, first, second = _documents(round_, near)
        shared_texts.append((shared, said))
        for name, text_ in (("a", first), ("b", second)):
            path = tmp_path / f"{name}-{round_}.txt"
            path.write_text(text_, encoding="utf-8")
            files[name].append(str(path))
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    env = base_env(data_dir)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", INGEST, settings.database_url, str(barrier), name, *paths],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, paths in files.items()
    ]
    outputs = [p.communicate(timeout=240) for p in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err[-3000:]
    documents = [[json.loads(line)["document"] for line in out.splitlines()] for out, _ in outputs]

    client, headers = _viewer(engine, settings)
    for round_, (shared, said) in enumerate(shared_texts):
        pair = {documents[0][round_], documents[1][round_]}
        with session_scope(engine) as session:
            claims = session.scalars(
                select(Claim).where(Claim.document_id.in_(pair), Claim.text.in_({shared, said}))
            ).all()
            assert len(claims) == 2, f"round {round_}: the shared sentence is not a claim twice"
            groups = {session.get(ClaimOccurrence, c.id).group_id for c in claims}  # type: ignore[union-attr]
            assert len(groups) == 1, f"round {round_}: {len(groups)} groups for one claim"
            group = session.get(ClaimGroup, groups.pop())
            assert group is not None and (group.occurrences, group.documents) == (2, 2)
            assert group.text_key in {ClaimPrint.of(c.text, []).key for c in claims}
            first_id, second_id = sorted(c.id for c in claims)
        # What a user of the API sees on each of the two claims.
        for claim_id, other_id in ((first_id, second_id), (second_id, first_id)):
            body = client.get(f"/api/v1/claims/{claim_id}", headers=headers).get_json()
            assert body["recurrence"] == 2, (round_, body)
            assert [s["claim_id"] for s in body["seen_in"]] == [other_id]
            assert {body["document"]["id"], body["seen_in"][0]["document_id"]} == pair
    with session_scope(engine) as session:
        # The other sentences of the documents were seen once each.
        assert (
            session.scalar(select(func.count()).select_from(ClaimGroup))
            == session.scalar(select(func.count()).select_from(Claim)) - ROUNDS
        )


SENTENCE = "Unemployment in the region rose to 7.4% in 2023, the statistics office said."
OTHER = "The port handled 12 million containers in 2022, its director said."


def _claim(document: Document, text_: str, checkworthiness: float) -> Claim:
    claim = Claim(
        text=text_,
        start=0,
        end=len(text_),
        sentence=text_,
        language="en",
        checkworthiness=checkworthiness,
        status=ClaimStatus.QUEUED,
    )
    document.claims.append(claim)
    return claim


def test_migration_0009_merges_the_groups_of_one_claim_and_loses_no_row(
    database_url: str,
) -> None:
    engine = get_engine(database_url)
    upgrade_database(engine, "0008")
    now = utcnow()
    with session_scope(engine) as session:
        docs = [
            Document(origin=f"d{i}.txt", language="en", text=f"d{i}", sha256=f"{i}" * 64)
            for i in range(1, 4)
        ]
        first, second, third = (
            _claim(d, SENTENCE, w) for d, w in zip(docs, (0.8, 0.6, 0.4), strict=True)
        )
        other = _claim(docs[0], OTHER, 0.5)
        session.add_all(docs)
        session.flush()
        # What the race left behind: the first document founded a group, the second founded
        # another at the same moment, and the third found the second's claim first.
        groups = ClaimGroup.__table__
        for founder, occurrences, documents in ((first, 1, 1), (second, 2, 2), (other, 1, 1)):
            session.execute(
                insert(groups).values(
                    id=founder.id,
                    first_claim_id=founder.id,
                    occurrences=occurrences,
                    documents=documents,
                    first_seen_at=now,
                    last_seen_at=now,
                )
            )
        for claim, group, match, matched in (
            (first, first, "first", None),
            (second, second, "first", None),
            (third, second, "exact", second),
            (other, other, "first", None),
        ):
            session.add(
                ClaimOccurrence(
                    claim_id=claim.id,
                    group_id=group.id,
                    document_id=claim.document_id,
                    match=match,
                    matched_claim_id=matched.id if matched else None,
                    similarity=1.0 if matched else None,
                    text_key=ClaimPrint.of(claim.text, []).key,
                )
            )
            for value in dict.fromkeys(ClaimPrint.of(claim.text, []).fingerprints()):
                session.add(ClaimFingerprint(value=value, claim_id=claim.id))
        for claim, recurrence in ((first, 1), (second, 2), (third, 2), (other, 1)):
            claim.recurrence = recurrence
            claim.queue_score = queue_score(claim.checkworthiness, recurrence)
        ids = {"first": first.id, "second": second.id, "third": third.id, "other": other.id}
    counted = (Claim, ClaimOccurrence, ClaimFingerprint, Document)
    with engine.connect() as connection:
        before = {m: connection.scalar(select(func.count()).select_from(m)) for m in counted}

    upgrade_database(engine)

    assert current_revision(engine) >= "0009"  # type: ignore[operator]
    with session_scope(engine) as session:
        assert {m: session.scalar(select(func.count()).select_from(m)) for m in counted} == before
        kept = session.get(ClaimGroup, ids["first"])
        assert kept is not None and (kept.occurrences, kept.documents) == (3, 3)
        assert kept.text_key == ClaimPrint.of(SENTENCE, []).key
        assert session.get(ClaimGroup, ids["second"]) is None
        members = session.scalars(
            select(ClaimOccurrence)
            .where(ClaimOccurrence.group_id == kept.id)
            .order_by(ClaimOccurrence.claim_id)
        ).all()
        assert [(o.claim_id, o.match, o.matched_claim_id) for o in members] == [
            (ids["first"], "first", None),
            (ids["second"], "exact", ids["first"]),
            (ids["third"], "exact", ids["second"]),
        ]
        for name in ("first", "second", "third"):
            claim = session.get(Claim, ids[name])
            assert claim is not None and claim.recurrence == 3
            assert claim.queue_score == pytest.approx(queue_score(claim.checkworthiness, 3))
        untouched = session.get(ClaimGroup, ids["other"])
        assert untouched is not None and (untouched.occurrences, untouched.documents) == (1, 1)
        assert untouched.text_key == ClaimPrint.of(OTHER, []).key
        assert session.get(Claim, ids["other"]).recurrence == 1  # type: ignore[union-attr]
    # The key is unique now, and a later repeat joins the merged group.
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(ClaimGroup(text_key=ClaimPrint.of(SENTENCE, []).key))
    with session_scope(engine) as session:
        document = ingest_document(session, f"Labour report\n\n{SENTENCE}", "d4.txt").document
        claim = next(c for c in document.claims if c.text == SENTENCE)
        assert session.get(ClaimOccurrence, claim.id).group_id == ids["first"]  # type: ignore[union-attr]
        assert claim.recurrence == 4


def test_a_new_claim_said_twice_in_one_document_founds_one_group(engine: Engine) -> None:
    with session_scope(engine) as session:
        text_ = f"Labour report\n\n{SENTENCE}\n\nThe minister did not comment.\n\n{SENTENCE}"
        document = ingest_document(session, text_, "twice.txt").document
        claims = [c for c in document.claims if c.text == SENTENCE]
        assert len(claims) == 2
        occurrences = [session.get(ClaimOccurrence, c.id) for c in claims]
        assert len({o.group_id for o in occurrences if o is not None}) == 1
        group = session.get(ClaimGroup, occurrences[0].group_id)  # type: ignore[union-attr]
        assert group is not None and (group.occurrences, group.documents) == (2, 1)
        assert [c.recurrence for c in claims] == [1, 1]
