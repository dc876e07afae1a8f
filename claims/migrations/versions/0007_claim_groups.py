"""recurring claims: claim groups, fingerprints, recurrence in the queue's order, reused checks

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 17:00:00.000000

Every existing claim gets a group: claims with the same exact key (the normalised text of
claims/matching.py) are merged into one group founded by the oldest of them; near duplicates
are not merged here (that needs the candidate search of ingest, claim by claim). Each claim's
fingerprints are stored so that later documents find it, and the queue's rank is set from
check-worthiness and recurrence.

The claims table is never rebuilt (see 0005): its columns are added and dropped in place, and
the columns recording a reused check are plain integers, not foreign keys, so that SQLite can
drop them in place too.
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000


def upgrade() -> None:
    op.create_table(
        "claim_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_claim_id", sa.Integer(), nullable=True),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_groups_first_claim_id_claims"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_groups")),
        sa.UniqueConstraint("first_claim_id", name=op.f("uq_claim_groups_first_claim_id")),
    )
    op.create_table(
        "claim_occurrences",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("match", sa.String(length=12), nullable=False),
        sa.Column("matched_claim_id", sa.Integer(), nullable=True),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.Column("text_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_occurrences_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_claim_occurrences_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["claim_groups.id"],
            name=op.f("fk_claim_occurrences_group_id_claim_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["matched_claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_occurrences_matched_claim_id_claims"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("claim_id", name=op.f("pk_claim_occurrences")),
    )
    op.create_index(
        "ix_claim_occurrences_group_document",
        "claim_occurrences",
        ["group_id", "document_id"],
    )
    op.create_index(
        op.f("ix_claim_occurrences_text_key"), "claim_occurrences", ["text_key"], unique=False
    )
    op.create_table(
        "claim_fingerprints",
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_fingerprints_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("value", "claim_id", name=op.f("pk_claim_fingerprints")),
    )
    op.create_index(
        op.f("ix_claim_fingerprints_claim_id"), "claim_fingerprints", ["claim_id"], unique=False
    )

    with op.batch_alter_table("claims", recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("recurrence", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(
            sa.Column("queue_score", sa.Float(), server_default="0", nullable=False)
        )
        batch_op.drop_index("ix_claims_queue")
        batch_op.drop_index("ix_claims_status_queue")
    with op.batch_alter_table("suggestions", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reused_from_claim_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("evidence", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("reused_from_claim_id", sa.Integer(), nullable=True))
    op.execute("UPDATE suggestions SET checked_at = created_at")
    op.execute("UPDATE claims SET queue_score = checkworthiness")

    _group_existing_claims()

    op.create_index("ix_claims_queue_rank", "claims", ["priority", "queue_score", "id"])
    op.create_index(
        "ix_claims_status_queue_rank", "claims", ["status", "priority", "queue_score", "id"]
    )


def _group_existing_claims() -> None:
    from claims.matching import ClaimPrint
    from claims.recurrence import queue_score

    connection = op.get_bind()
    claims = sa.table(
        "claims",
        sa.column("id", sa.Integer),
        sa.column("document_id", sa.Integer),
        sa.column("text", sa.Text),
        sa.column("quantities", sa.JSON),
        sa.column("checkworthiness", sa.Float),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("recurrence", sa.Integer),
        sa.column("queue_score", sa.Float),
    )
    groups = sa.table(
        "claim_groups",
        sa.column("id", sa.Integer),
        sa.column("first_claim_id", sa.Integer),
        sa.column("occurrences", sa.Integer),
        sa.column("documents", sa.Integer),
        sa.column("first_seen_at", sa.DateTime(timezone=True)),
        sa.column("last_seen_at", sa.DateTime(timezone=True)),
    )
    occurrences = sa.table(
        "claim_occurrences",
        sa.column("claim_id", sa.Integer),
        sa.column("group_id", sa.Integer),
        sa.column("document_id", sa.Integer),
        sa.column("match", sa.String),
        sa.column("matched_claim_id", sa.Integer),
        sa.column("similarity", sa.Float),
        sa.column("text_key", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    fingerprints = sa.table(
        "claim_fingerprints", sa.column("value", sa.BigInteger), sa.column("claim_id", sa.Integer)
    )
    # Members of each exact key, oldest first; the oldest founds the group (its id is the
    # group's id, so no id has to be read back).
    members: dict[str, list[tuple[int, int, object, float]]] = defaultdict(list)
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(
                claims.c.id,
                claims.c.document_id,
                claims.c.text,
                claims.c.quantities,
                claims.c.checkworthiness,
                claims.c.created_at,
            )
            .where(claims.c.id > last_id)
            .order_by(claims.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        prints = []
        for claim_id, document_id, text, quantities, worth, created in rows:
            claim_print = ClaimPrint.of(text, quantities or [])
            members[claim_print.key].append((claim_id, document_id, created, worth))
            prints.extend(
                {"value": value, "claim_id": claim_id}
                for value in dict.fromkeys(claim_print.fingerprints())
            )
        connection.execute(fingerprints.insert(), prints)
        last_id = rows[-1][0]

    group_rows, occurrence_rows, rescored = [], [], []
    for key, group in members.items():
        founder, _, founded, _ = group[0]
        documents = len({document_id for _, document_id, _, _ in group})
        group_rows.append(
            {
                "id": founder,
                "first_claim_id": founder,
                "occurrences": len(group),
                "documents": documents,
                "first_seen_at": founded,
                "last_seen_at": group[-1][2],
            }
        )
        for claim_id, document_id, created, worth in group:
            first = claim_id == founder
            occurrence_rows.append(
                {
                    "claim_id": claim_id,
                    "group_id": founder,
                    "document_id": document_id,
                    "match": "first" if first else "exact",
                    "matched_claim_id": None if first else founder,
                    "similarity": None if first else 1.0,
                    "text_key": key,
                    "created_at": created,
                }
            )
            if documents > 1:
                rescored.append(
                    {"cid": claim_id, "rec": documents, "score": queue_score(worth, documents)}
                )
    for start in range(0, len(group_rows), BATCH):
        connection.execute(groups.insert(), group_rows[start : start + BATCH])
    for start in range(0, len(occurrence_rows), BATCH):
        connection.execute(occurrences.insert(), occurrence_rows[start : start + BATCH])
    if rescored:
        connection.execute(
            claims.update()
            .where(claims.c.id == sa.bindparam("cid"))
            .values(recurrence=sa.bindparam("rec"), queue_score=sa.bindparam("score")),
            rescored,
        )
    if connection.dialect.name == "postgresql":
        # Group ids were taken from claim ids; new groups continue after the largest.
        op.execute(
            "SELECT setval(pg_get_serial_sequence('claim_groups', 'id'), "
            "COALESCE((SELECT max(id) FROM claim_groups), 0) + 1, false)"
        )


def downgrade() -> None:
    op.drop_index("ix_claims_status_queue_rank", table_name="claims")
    op.drop_index("ix_claims_queue_rank", table_name="claims")
    with op.batch_alter_table("evidence", recreate="never") as batch_op:
        batch_op.drop_column("reused_from_claim_id")
    with op.batch_alter_table("suggestions", recreate="never") as batch_op:
        batch_op.drop_column("reused_from_claim_id")
        batch_op.drop_column("checked_at")
    with op.batch_alter_table("claims", recreate="never") as batch_op:
        batch_op.drop_column("queue_score")
        batch_op.drop_column("recurrence")
    op.create_index("ix_claims_queue", "claims", ["priority", "checkworthiness", "id"])
    op.create_index(
        "ix_claims_status_queue", "claims", ["status", "priority", "checkworthiness", "id"]
    )
    op.drop_index(op.f("ix_claim_fingerprints_claim_id"), table_name="claim_fingerprints")
    op.drop_table("claim_fingerprints")
    op.drop_index(op.f("ix_claim_occurrences_text_key"), table_name="claim_occurrences")
    op.drop_index("ix_claim_occurrences_group_document", table_name="claim_occurrences")
    op.drop_table("claim_occurrences")
    op.drop_table("claim_groups")
