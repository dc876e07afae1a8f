"""the time a claim refers to

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The claims table must never be rebuilt here: on SQLite a batch "move and copy" drops the old
# table, which cascades into evidence, suggestions and history and drops the full-text triggers
# (see 0003). Both directions therefore run in place: ALTER TABLE ADD COLUMN, and ALTER TABLE
# DROP COLUMN, which SQLite supports in place since 3.35 for a column with no index or constraint.


def upgrade() -> None:
    with op.batch_alter_table("claims", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("time", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claims", recreate="never") as batch_op:
        batch_op.drop_column("time")
