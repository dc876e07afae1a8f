"""one evidence row per claim and library passage

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 18:00:00.000000

A library passage is evidence of a claim once, whether a check found it (provider `library`) or
a person attached it (`library-attached`, which takes over the check's row). A reused check
could copy the earlier claim's row for a passage a person had attached, so duplicates are
removed first: the attached row stays, else the oldest.

A plain partial index: the evidence table is not rebuilt.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "uq_evidence_claim_id_passage_id"
WHERE = sa.text("passage_id IS NOT NULL")
ATTACHED = "library-attached"  # claims/evidence/attached.py


def upgrade() -> None:
    # Of two rows for one claim and passage, the attached one stays, else the older one.
    op.get_bind().execute(
        sa.text(
            "DELETE FROM evidence WHERE passage_id IS NOT NULL AND EXISTS ("
            " SELECT 1 FROM evidence AS other"
            " WHERE other.claim_id = evidence.claim_id"
            " AND other.passage_id = evidence.passage_id"
            " AND other.id <> evidence.id"
            " AND ((other.provider = :attached AND evidence.provider <> :attached)"
            " OR ((other.provider = :attached) = (evidence.provider = :attached)"
            " AND other.id < evidence.id)))"
        ),
        {"attached": ATTACHED},
    )
    op.create_index(
        NAME,
        "evidence",
        ["claim_id", "passage_id"],
        unique=True,
        sqlite_where=WHERE,
        postgresql_where=WHERE,
    )


def downgrade() -> None:
    op.drop_index(NAME, table_name="evidence")
