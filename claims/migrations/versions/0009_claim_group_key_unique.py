"""one claim group per exact key

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 19:00:00.000000

Each group records the exact key of the claim that founded it, unique, so that two ingests of a
new claim at the same moment found one group (claims/recurrence.py). Before, each could find no
group and found its own: groups founded by claims with the same key are merged first into the
oldest of them. Their claims and occurrences are moved, not deleted; the founders of the merged
groups become exact repeats of the oldest group's founder; counts, recurrence and the queue's
rank are recounted. A downgrade keeps the merged groups merged.

A group whose founding claim was deleted keeps no key (NULL, which a unique index allows).
Neither table is rebuilt.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_claim_groups_text_key"


def upgrade() -> None:
    with op.batch_alter_table("claim_groups", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("text_key", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    connection.execute(
        sa.text(
            "UPDATE claim_groups SET text_key = ("
            " SELECT o.text_key FROM claim_occurrences AS o"
            " WHERE o.claim_id = claim_groups.first_claim_id"
            " AND o.group_id = claim_groups.id)"
        )
    )
    _merge_groups_sharing_a_key(connection)
    op.create_index(INDEX, "claim_groups", ["text_key"], unique=True)


def _merge_groups_sharing_a_key(connection: sa.engine.Connection) -> None:
    from claims.models.core import queue_score

    rows = connection.execute(
        sa.text(
            "SELECT text_key, id, first_claim_id, first_seen_at, last_seen_at FROM claim_groups"
            " WHERE text_key IN (SELECT text_key FROM claim_groups WHERE text_key IS NOT NULL"
            " GROUP BY text_key HAVING count(*) > 1)"
            " ORDER BY text_key, id"
        )
    ).all()
    by_key: dict[str, list[sa.Row]] = {}
    for row in rows:
        by_key.setdefault(row.text_key, []).append(row)
    for keeper, *merged in by_key.values():
        ids = {"keep": keeper.id, "merged": [g.id for g in merged]}
        expanding = sa.bindparam("merged", expanding=True)
        # The founders of the merged groups repeat the keeper's founder word for word.
        connection.execute(
            sa.text(
                "UPDATE claim_occurrences SET match = 'exact', matched_claim_id = :founder,"
                " similarity = 1.0 WHERE claim_id IN :founders"
            ).bindparams(sa.bindparam("founders", expanding=True)),
            {"founder": keeper.first_claim_id, "founders": [g.first_claim_id for g in merged]},
        )
        connection.execute(
            sa.text(
                "UPDATE claim_occurrences SET group_id = :keep WHERE group_id IN :merged"
            ).bindparams(expanding),
            ids,
        )
        connection.execute(
            sa.text("DELETE FROM claim_groups WHERE id IN :merged").bindparams(expanding), ids
        )
        occurrences, documents = connection.execute(
            sa.text(
                "SELECT count(*), count(DISTINCT document_id) FROM claim_occurrences"
                " WHERE group_id = :keep"
            ),
            ids,
        ).one()
        connection.execute(
            sa.text(
                "UPDATE claim_groups SET occurrences = :occurrences, documents = :documents,"
                " first_seen_at = :first, last_seen_at = :last WHERE id = :keep"
            ),
            {
                **ids,
                "occurrences": occurrences,
                "documents": documents,
                "first": min(g.first_seen_at for g in [keeper, *merged]),
                "last": max(g.last_seen_at for g in [keeper, *merged]),
            },
        )
        connection.execute(
            sa.text(
                "UPDATE claims SET recurrence = :documents,"
                " queue_score = checkworthiness + :bonus"
                " WHERE id IN (SELECT claim_id FROM claim_occurrences WHERE group_id = :keep)"
            ),
            {**ids, "documents": documents, "bonus": queue_score(0.0, documents)},
        )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="claim_groups")
    with op.batch_alter_table("claim_groups", recreate="never") as batch_op:
        batch_op.drop_column("text_key")
