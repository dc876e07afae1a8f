"""review desk: assignment, priority, verdict details, comments, audit, evidence marks, claim search

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite keeps the claims' full-text index in an FTS5 table fed by triggers. A later migration
# that rebuilds the claims table on SQLite (batch mode "move and copy") drops these triggers and
# must call create_claims_fts_triggers() again.
SQLITE_TRIGGERS = (
    "CREATE TRIGGER claims_fts_ai AFTER INSERT ON claims BEGIN "
    "INSERT INTO claims_fts(rowid, text, speaker) VALUES (new.id, new.text, new.speaker); END",
    "CREATE TRIGGER claims_fts_ad AFTER DELETE ON claims BEGIN "
    "INSERT INTO claims_fts(claims_fts, rowid, text, speaker) "
    "VALUES ('delete', old.id, old.text, old.speaker); END",
    "CREATE TRIGGER claims_fts_au AFTER UPDATE OF text, speaker ON claims BEGIN "
    "INSERT INTO claims_fts(claims_fts, rowid, text, speaker) "
    "VALUES ('delete', old.id, old.text, old.speaker); "
    "INSERT INTO claims_fts(rowid, text, speaker) VALUES (new.id, new.text, new.speaker); END",
)


def create_claims_fts_triggers() -> None:
    for statement in SQLITE_TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    _add_claim_columns()
    op.create_index(op.f("ix_claims_assignee_id"), "claims", ["assignee_id"], unique=False)
    op.create_index("ix_claims_queue", "claims", ["priority", "checkworthiness", "id"])
    op.create_index(
        "ix_claims_status_queue", "claims", ["status", "priority", "checkworthiness", "id"]
    )

    op.create_table(
        "claim_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_events_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_claim_events_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_events")),
    )
    op.create_index("ix_claim_events_claim_at", "claim_events", ["claim_id", "at"])

    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_comments_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_comments_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index("ix_comments_claim_at", "comments", ["claim_id", "at"])

    op.create_table(
        "evidence_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_evidence_marks_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence.id"],
            name=op.f("fk_evidence_marks_evidence_id_evidence"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_evidence_marks_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_marks")),
        sa.UniqueConstraint("evidence_id", name=op.f("uq_evidence_marks_evidence_id")),
    )
    op.create_index(op.f("ix_evidence_marks_claim_id"), "evidence_marks", ["claim_id"])

    op.create_table(
        "suggestion_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=40), nullable=True),
        sa.Column("suggested", sa.String(length=24), nullable=True),
        sa.Column("rating", sa.String(length=24), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_suggestion_outcomes_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestions.id"],
            name=op.f("fk_suggestion_outcomes_suggestion_id_suggestions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_suggestion_outcomes_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_outcomes")),
    )
    op.create_index(op.f("ix_suggestion_outcomes_claim_id"), "suggestion_outcomes", ["claim_id"])

    _create_claim_search()


def _add_claim_columns() -> None:
    # On SQLite the columns are added in place (ALTER TABLE ADD COLUMN with an inline reference)
    # rather than by rebuilding the table: a rebuild drops the old claims table, and with foreign
    # keys on that would cascade into evidence, suggestions and history.
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column in ("assignee_id", "published_by_id"):
        if sqlite:
            op.execute(
                f"ALTER TABLE claims ADD COLUMN {column} INTEGER "
                f"CONSTRAINT fk_claims_{column}_users REFERENCES users (id)"
            )
        else:
            op.add_column("claims", sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(f"fk_claims_{column}_users", "claims", "users", [column], ["id"])
    op.add_column("claims", sa.Column("priority", sa.Integer(), server_default="0", nullable=False))
    op.add_column("claims", sa.Column("claim_reviewed", sa.String(length=500), nullable=True))
    op.add_column("claims", sa.Column("verdict_sources", sa.JSON(), nullable=True))
    op.add_column("claims", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))


def _create_claim_search() -> None:
    """Full-text search over claims: FTS5 on SQLite, a generated tsvector on PostgreSQL."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE claims_fts USING fts5(text, speaker, content='claims', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        create_claims_fts_triggers()
        op.execute("INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')")
    elif dialect == "postgresql":
        op.execute(
            "ALTER TABLE claims ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', text || ' ' || coalesce(speaker, ''))) STORED"
        )
        op.execute("CREATE INDEX ix_claims_search_vector ON claims USING gin (search_vector)")


def _drop_claim_search() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("claims_fts_ai", "claims_fts_ad", "claims_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS claims_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_claims_search_vector")
        op.execute("ALTER TABLE claims DROP COLUMN IF EXISTS search_vector")


def downgrade() -> None:
    _drop_claim_search()
    op.drop_index(op.f("ix_suggestion_outcomes_claim_id"), table_name="suggestion_outcomes")
    op.drop_table("suggestion_outcomes")
    op.drop_index(op.f("ix_evidence_marks_claim_id"), table_name="evidence_marks")
    op.drop_table("evidence_marks")
    op.drop_index("ix_comments_claim_at", table_name="comments")
    op.drop_table("comments")
    op.drop_index("ix_claim_events_claim_at", table_name="claim_events")
    op.drop_table("claim_events")
    op.drop_index("ix_claims_status_queue", table_name="claims")
    op.drop_index("ix_claims_queue", table_name="claims")
    op.drop_index(op.f("ix_claims_assignee_id"), table_name="claims")
    # SQLite cannot drop a column with a reference in place; batch mode rebuilds the table, which
    # must then run with foreign keys off so the rebuild does not cascade.
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("claims", schema=None) as batch_op:
        if not sqlite:  # on SQLite the rebuild leaves out the dropped columns' references
            batch_op.drop_constraint("fk_claims_published_by_id_users", type_="foreignkey")
            batch_op.drop_constraint("fk_claims_assignee_id_users", type_="foreignkey")
        batch_op.drop_column("published_at")
        batch_op.drop_column("published_by_id")
        batch_op.drop_column("verdict_sources")
        batch_op.drop_column("claim_reviewed")
        batch_op.drop_column("priority")
        batch_op.drop_column("assignee_id")
