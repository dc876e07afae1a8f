"""The same claim seen again is tracked: linked at ingest, ranked higher, its check reused while
fresh, and an earlier published verdict shown. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

from alembic import command
from alembic.config import Config
from sqlalchemy import event, func, inspect, select, text, update

from claims import checking
from claims.db import (
    MIGRATIONS_DIR,
    current_revision,
    get_engine,
    session_scope,
    upgrade_database,
    utcnow,
)
from claims.library import load_source_directory
from claims.models import (
    Claim,
    ClaimGroup,
    ClaimOccurrence,
    ClaimStatus,
    Document,
    Evidence,
    Rating,
    StatusChange,
    Suggestion,
)
from claims.recurrence import assign_groups, published_verdict, sightings
from claims.review import list_claims
from claims.workflow import change_status, ingest_document
from tests.conftest import SEED_ARTICLE

SEED = SEED_ARTICLE.read_text(encoding="utf-8")
# The same article republished under another title, with small edits: other quote marks, the
# figure written with a comma, a word changed in the lead claim.
EDITED = "Des Russes fuient la mobilisation\n\n" + SEED.replace("’", "'").replace(
    "98 000", "98,000"
).replace("Environ 98", "Quelque 98")


def _ingest(engine, text_: str, origin: str, title: str | None = None) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return ingest_document(session, text_, origin, title=title, actor="cli").document.id


def _claims(session, document_id: int) -> list[Claim]:  # type: ignore[no-untyped-def]
    return list(
        session.scalars(select(Claim).where(Claim.document_id == document_id).order_by(Claim.id))
    )


def _check(engine, claim_id: int, **options) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        checking.start_check(session, claim_id)
    with session_scope(engine) as session:
        checking.check_claim(session, claim_id, **options)


def test_a_republished_article_links_each_claim_to_its_first_occurrence(engine) -> None:  # type: ignore[no-untyped-def]
    first = _ingest(engine, SEED, "seed.txt")
    second = _ingest(engine, EDITED, "republished.txt", title="Des Russes fuient")
    with session_scope(engine) as session:
        earlier, later = _claims(session, first), _claims(session, second)
        assert len(earlier) == len(later) >= 5
        for old, new in zip(earlier, later, strict=True):
            old_group = session.get(ClaimOccurrence, old.id)
            new_group = session.get(ClaimOccurrence, new.id)
            assert old_group is not None and new_group is not None
            assert new_group.group_id == old_group.group_id, new.text
            assert new_group.matched_claim_id == old.id
            assert old.recurrence == new.recurrence == 2
            group = session.get(ClaimGroup, old_group.group_id)
            assert group is not None
            assert (group.first_claim_id, group.occurrences, group.documents) == (old.id, 2, 2)
        lead = next(c for c in later if "98,000" in c.text)
        occurrence = session.get(ClaimOccurrence, lead.id)
        assert occurrence is not None and occurrence.match == "near"
        assert 0.5 <= (occurrence.similarity or 0) < 1
        assert {o.match for o in session.scalars(select(ClaimOccurrence))} == {
            "first",
            "exact",
            "near",
        }
        earlier_lead = next(c for c in earlier if "98 000" in c.text)
        seen = sightings(session, earlier_lead.id)
        assert [s.document_id for s in seen.latest] == [second]
        assert seen.latest[0].document_title == "Des Russes fuient"
        assert (seen.claims, seen.documents, seen.more) == (2, 2, 0)


def test_a_claim_seen_twice_ranks_above_an_equally_check_worthy_one(engine) -> None:  # type: ignore[no-untyped-def]
    first = _ingest(engine, SEED, "seed.txt")
    _ingest(engine, "Un autre article.\n\n" + SEED.split("\n\n", 2)[1], "lead-only.txt")
    unrelated = _ingest(
        engine,
        "La ville a dépensé 1,2 million d'euros pour de nouveaux bus scolaires l'an dernier, "
        "a annoncé le maire.",
        "buses.txt",
    )
    with session_scope(engine) as session:
        lead = next(c for c in _claims(session, first) if "98 000" in c.text)
        other = _claims(session, unrelated)[0]
        # Same check-worthiness: only recurrence tells them apart.
        other.checkworthiness = lead.checkworthiness
        assert (lead.recurrence, other.recurrence) == (2, 1)
    with session_scope(engine) as session:
        order = [c.id for c in list_claims(session, per_page=200).claims]
        assert order.index(lead.id) < order.index(other.id)
        # Keyset pages still cover every claim once, in order.
        page = list_claims(session, per_page=3)
        seen = [c.id for c in page.claims]
        while page.next_cursor is not None:
            page = list_claims(session, after=page.next_cursor, per_page=3)
            seen += [c.id for c in page.claims]
        assert seen == order


def test_a_repeat_reuses_a_fresh_check_and_a_requeue_checks_afresh(engine, settings) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        load_source_directory(session, settings.seeds_dir / "sources")
    first = _ingest(engine, SEED, "seed.txt")
    second = _ingest(engine, EDITED, "republished.txt")
    with session_scope(engine) as session:
        original = next(c for c in _claims(session, first) if "98 000" in c.text).id
        repeat = next(c for c in _claims(session, second) if "98,000" in c.text).id
    _check(engine, original)
    _check(engine, repeat)
    with session_scope(engine) as session:
        source = session.scalar(select(Suggestion).where(Suggestion.claim_id == original))
        copy = session.scalar(select(Suggestion).where(Suggestion.claim_id == repeat))
        assert source is not None and copy is not None
        assert copy.reused_from_claim_id == original and source.reused_from_claim_id is None
        assert copy.checked_at == source.checked_at
        assert (copy.verdict, copy.rationale) == (source.verdict, source.rationale)
        evidence = session.scalars(select(Evidence).where(Evidence.claim_id == repeat)).all()
        assert evidence and all(e.reused_from_claim_id == original for e in evidence)
        assert len(evidence) == session.scalar(
            select(func.count(Evidence.id)).where(Evidence.claim_id == original)
        )
        claim = session.get(Claim, repeat)
        assert claim is not None and claim.status == ClaimStatus.NEEDS_REVIEW
        assert claim.history[-1].note == f"check reused from claim {original}"

    # A requeue asks for a fresh check: the sources are asked again and nothing is marked reused.
    with session_scope(engine) as session:
        claim = session.get(Claim, repeat)
        change_status(session, claim, ClaimStatus.QUEUED, actor="test")
    _check(engine, repeat, fresh=True)
    with session_scope(engine) as session:
        copy = session.scalar(select(Suggestion).where(Suggestion.claim_id == repeat))
        assert copy is not None and copy.reused_from_claim_id is None
        assert copy.checked_at > source.checked_at
        assert not session.scalars(
            select(Evidence).where(Evidence.claim_id == repeat, Evidence.reused_from_claim_id > 0)
        ).all()


def test_a_check_older_than_the_window_is_not_reused(engine, settings) -> None:  # type: ignore[no-untyped-def]
    first = _ingest(engine, SEED, "seed.txt")
    second = _ingest(engine, EDITED, "republished.txt")
    with session_scope(engine) as session:
        original = _claims(session, first)[1].id
        repeat = _claims(session, second)[1].id
    _check(engine, original)
    with session_scope(engine) as session:
        session.execute(
            update(Suggestion)
            .where(Suggestion.claim_id == original)
            .values(checked_at=utcnow() - timedelta(days=8))
        )
    _check(engine, repeat, recheck_after=timedelta(days=7))
    with session_scope(engine) as session:
        copy = session.scalar(select(Suggestion).where(Suggestion.claim_id == repeat))
        assert copy is not None and copy.reused_from_claim_id is None


def test_a_published_verdict_is_shown_on_a_repeat_and_nothing_is_published_for_it(engine) -> None:  # type: ignore[no-untyped-def]
    first = _ingest(engine, SEED, "seed.txt")
    with session_scope(engine) as session:
        claim = _claims(session, first)[0]
        claim.status, claim.verdict = ClaimStatus.PUBLISHED, Rating.MOSTLY_TRUE
        claim.published_at = utcnow()
        original = claim.id
    second = _ingest(engine, EDITED, "republished.txt")
    with session_scope(engine) as session:
        repeat = _claims(session, second)[0]
        earlier = published_verdict(session, repeat.id)
        assert earlier is not None
        assert (earlier.claim_id, earlier.rating) == (original, Rating.MOSTLY_TRUE)
        assert repeat.status == ClaimStatus.QUEUED and repeat.verdict is None
        assert published_verdict(session, original) is None


def test_the_groups_migration_merges_exact_repeats_and_keeps_the_claims(engine) -> None:  # type: ignore[no-untyped-def]
    first = _ingest(engine, SEED, "seed.txt")
    _ingest(engine, SEED + "\n\nUne ligne ajoutée.", "copy.txt")
    with engine.connect() as connection:
        claims_before = connection.scalar(select(func.count(Claim.id)))
        history_before = connection.scalar(select(func.count(StatusChange.id)))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
    assert current_revision(engine) == "0006"
    tables = set(inspect(engine).get_table_names())
    assert not tables & {"claim_groups", "claim_occurrences", "claim_fingerprints"}
    assert "queue_score" not in {c["name"] for c in inspect(engine).get_columns("claims")}
    upgrade_database(engine, "0007")
    assert current_revision(engine) == "0007"
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
    upgrade_database(engine)  # the models need the later revisions' columns
    with session_scope(engine) as session:
        groups = session.scalars(select(ClaimGroup)).all()
        assert len(groups) == claims_before // 2
        assert all((g.occurrences, g.documents) == (2, 2) for g in groups)
        assert {g.first_claim_id for g in groups} == {c.id for c in _claims(session, first)}
        assert {c.recurrence for c in session.scalars(select(Claim))} == {2}
    # A document ingested after the migration finds the migrated claims through the index,
    # and new groups get ids of their own (the PostgreSQL sequence was moved past the old ones).
    third = _ingest(engine, EDITED + "\n\nEt 17 nouveaux bus.", "third.txt")
    with session_scope(engine) as session:
        assert {c.recurrence for c in _claims(session, third)} >= {3}


def test_a_reused_check_keeps_a_passage_attached_by_hand_once(engine, settings) -> None:  # type: ignore[no-untyped-def]
    from claims.accounts import create_user
    from claims.evidence.attached import attach_passage

    with session_scope(engine) as session:
        load_source_directory(session, settings.seeds_dir / "sources")
    first = _ingest(engine, SEED, "seed.txt")
    second = _ingest(engine, EDITED, "republished.txt")
    with session_scope(engine) as session:
        original = next(c for c in _claims(session, first) if "98 000" in c.text).id
        repeat = next(c for c in _claims(session, second) if "98,000" in c.text).id
    _check(engine, original)
    with session_scope(engine) as session:
        passage_id = session.scalar(
            select(Evidence.passage_id).where(
                Evidence.claim_id == original, Evidence.provider == "library"
            )
        )
        assert passage_id is not None
        reviewer1 = create_user(session, "reviewer1", "correct horse battery", "reviewer")
        # A reviewer attaches, to the repeat, a passage the earlier check had found.
        attach_passage(session, repeat, passage_id, by=reviewer1)

    _check(engine, repeat)

    with session_scope(engine) as session:
        rows = session.scalars(select(Evidence).where(Evidence.claim_id == repeat)).all()
        assert [
            (e.provider, e.details["attached_by"]) for e in rows if e.passage_id == passage_id
        ] == [("library-attached", "reviewer1")]
        copied = [e for e in rows if e.reused_from_claim_id == original]
        assert len(copied) == len(rows) - 1
        suggestion = session.scalar(select(Suggestion).where(Suggestion.claim_id == repeat))
        assert suggestion is not None and suggestion.reused_from_claim_id == original


def test_a_passage_attached_by_hand_is_copied_as_attached_on_its_claim(engine, settings) -> None:  # type: ignore[no-untyped-def]
    from claims.accounts import create_user
    from claims.evidence.attached import attach_passage

    with session_scope(engine) as session:
        load_source_directory(session, settings.seeds_dir / "sources")
    first = _ingest(engine, SEED, "seed.txt")
    second = _ingest(engine, EDITED, "republished.txt")
    third = _ingest(engine, "Encore\n\n" + EDITED, "again.txt")
    with session_scope(engine) as session:
        original = next(c for c in _claims(session, first) if "98 000" in c.text).id
        middle, last = (
            next(c for c in _claims(session, d) if "98,000" in c.text).id for d in (second, third)
        )
    _check(engine, original)
    with session_scope(engine) as session:
        passage_id = session.scalar(
            select(Evidence.passage_id).where(
                Evidence.claim_id == original, Evidence.passage_id.is_not(None)
            )
        )
        reviewer1 = create_user(session, "reviewer1", "correct horse battery", "reviewer")
        # Attached by hand to the middle claim, whose check then comes from the original.
        attach_passage(session, middle, passage_id, by=reviewer1)
    _check(engine, middle)
    _check(engine, last)

    with session_scope(engine) as session:
        rows = session.scalars(select(Evidence).where(Evidence.claim_id == last)).all()
        copied = [e for e in rows if e.passage_id == passage_id]
        assert [(e.details["attached_by"], e.reused_from_claim_id) for e in copied] == [
            ("reviewer1", middle)
        ]
        assert {e.reused_from_claim_id for e in rows} == {original, middle}
        suggestion = session.scalar(select(Suggestion).where(Suggestion.claim_id == last))
        assert suggestion is not None and suggestion.reused_from_claim_id == original


def _store(session, name: str, texts: list[str]) -> Document:  # type: ignore[no-untyped-def]
    """Store a document with these claims and group them, as ingest does after segmenting."""
    document = Document(title=name, origin=name, language="en", text=name, sha256=name.ljust(64))
    session.add(document)
    for index, claim_text in enumerate(texts):
        document.claims.append(
            Claim(
                text=claim_text,
                start=index * 200,
                end=index * 200 + len(claim_text),
                sentence=claim_text,
                language="en",
                checkworthiness=0.7,
                status=ClaimStatus.QUEUED,
            )
        )
    session.flush()
    assign_groups(session, document)
    return document


REPEATED = "Unemployment in the region rose to 7.4% in 2023, the statistics office said."


def test_a_very_long_document_is_grouped_in_a_few_statements(engine) -> None:  # type: ignore[no-untyped-def]
    # 5,100 claims hold about 66,000 fingerprints: more than one PostgreSQL statement may carry.
    texts = [
        f"Exports of product {i} to country {i * 7} reached {i}.5 million tonnes in {1900 + i % 90}"
        for i in range(5_100)
    ]
    with session_scope(engine) as session:
        _store(session, "earlier", [REPEATED])
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        with session_scope(engine) as session:
            long_id = _store(session, "long", [*texts, REPEATED]).id
    finally:
        event.remove(engine, "before_cursor_execute", record)
    with session_scope(engine) as session:
        claims = _claims(session, long_id)
        assert len(claims) == 5_101
        repeat = claims[-1]
        assert repeat.recurrence == 2
        assert session.scalar(select(func.count()).select_from(ClaimGroup)) == 5_101
    # Memberships and fingerprints are inserted together, not one flush per claim.
    for table in ("CLAIM_OCCURRENCES", "CLAIM_FINGERPRINTS"):
        inserts = [s for s in statements if s.lstrip().upper().startswith(f"INSERT INTO {table}")]
        assert len(inserts) <= 100, (table, len(inserts))


def test_two_documents_repeating_a_claim_at_once_are_both_counted(postgres_url) -> None:  # type: ignore[no-untyped-def]
    engine = get_engine(postgres_url)
    upgrade_database(engine)
    with session_scope(engine) as session:
        _store(session, "first", [REPEATED])
    with session_scope(engine) as first:
        _store(first, "second", [REPEATED])
        # A second ingest of the same claim, while the first has not committed yet.
        errors: list[BaseException] = []

        def ingest_third() -> None:
            try:
                with session_scope(engine) as session:
                    _store(session, "third", [REPEATED])
            except BaseException as exc:  # reported by the test below
                errors.append(exc)

        third = threading.Thread(target=ingest_third)
        third.start()
        third.join(1.0)
        assert third.is_alive(), "the second ingest should wait for the first one's commit"
    third.join(30)
    assert not third.is_alive() and not errors, errors
    with session_scope(engine) as session:
        group = session.scalars(select(ClaimGroup)).one()
        assert (group.occurrences, group.documents) == (3, 3)
        assert session.scalars(select(Claim.recurrence)).all() == [3, 3, 3]
