"""evidence providers: evidence from any provider, fact-checks, provider cache, archived pages

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 09:00:00.000000
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "archived_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("final_url", sa.String(length=2000), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archived_pages")),
        sa.UniqueConstraint("url", "sha256", name=op.f("uq_archived_pages_url_sha256")),
    )
    op.create_table(
        "fact_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("claim_reviewed", sa.Text(), nullable=False),
        sa.Column("rating", sa.String(length=200), nullable=True),
        sa.Column("rating_value", sa.Float(), nullable=True),
        sa.Column("publisher", sa.String(length=300), nullable=True),
        sa.Column("published", sa.String(length=32), nullable=True),
        sa.Column("claimant", sa.String(length=300), nullable=True),
        sa.Column("language", sa.String(length=12), nullable=True),
        sa.Column("review_body", sa.Text(), nullable=True),
        sa.Column("origin", sa.String(length=2000), nullable=False),
        sa.Column("keywords", sa.Text(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_checks")),
        sa.UniqueConstraint("url", name=op.f("uq_fact_checks_url")),
    )
    op.create_table(
        "provider_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_cache")),
        sa.UniqueConstraint("provider", "key", name=op.f("uq_provider_cache_provider_key")),
    )
    op.create_table(
        "evidence_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("requested_by", sa.String(length=80), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "done", "failed", name="requeststatus", native_enum=False, length=24
            ),
            nullable=False,
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("archive_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["archive_id"],
            ["archived_pages.id"],
            name=op.f("fk_evidence_requests_archive_id_archived_pages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_evidence_requests_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_requests")),
        sa.UniqueConstraint("claim_id", "url", name=op.f("uq_evidence_requests_claim_id_url")),
    )
    with op.batch_alter_table("evidence_requests", schema=None) as batch_op:
        batch_op.create_index("ix_evidence_requests_claim_id", ["claim_id"], unique=False)

    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provider", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("source_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("source_title", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("source_url", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("archive_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("details", sa.JSON(), nullable=True))
    op.execute(
        "UPDATE evidence SET provider = 'library', "
        "source_key = 'passage:' || CAST(passage_id AS VARCHAR(20))"
    )
    with (
        _rows_kept_of_tables_referencing("evidence"),
        op.batch_alter_table("evidence", schema=None) as batch_op,
    ):
        batch_op.alter_column("provider", existing_type=sa.String(length=40), nullable=False)
        batch_op.alter_column("source_key", existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column("passage_id", existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint("uq_evidence_claim_id_passage_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_evidence_claim_id_provider_source_key"),
            ["claim_id", "provider", "source_key"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_evidence_archive_id_archived_pages"),
            "archived_pages",
            ["archive_id"],
            ["id"],
            ondelete="SET NULL",
        )

    _create_fact_check_search()


def _create_fact_check_search() -> None:
    """Full-text search over fact-checks, like passages: FTS5 on SQLite, tsvector on PostgreSQL."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE fact_checks_fts USING fts5(claim_reviewed, keywords, "
            "content='fact_checks', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER fact_checks_ai AFTER INSERT ON fact_checks BEGIN "
            "INSERT INTO fact_checks_fts(rowid, claim_reviewed, keywords) "
            "VALUES (new.id, new.claim_reviewed, new.keywords); END"
        )
        op.execute(
            "CREATE TRIGGER fact_checks_ad AFTER DELETE ON fact_checks BEGIN "
            "INSERT INTO fact_checks_fts(fact_checks_fts, rowid, claim_reviewed, keywords) "
            "VALUES ('delete', old.id, old.claim_reviewed, old.keywords); END"
        )
        op.execute(
            "CREATE TRIGGER fact_checks_au AFTER UPDATE ON fact_checks BEGIN "
            "INSERT INTO fact_checks_fts(fact_checks_fts, rowid, claim_reviewed, keywords) "
            "VALUES ('delete', old.id, old.claim_reviewed, old.keywords); "
            "INSERT INTO fact_checks_fts(rowid, claim_reviewed, keywords) "
            "VALUES (new.id, new.claim_reviewed, new.keywords); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "ALTER TABLE fact_checks ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', claim_reviewed || ' ' || keywords)) STORED"
        )
        op.execute(
            "CREATE INDEX ix_fact_checks_search_vector ON fact_checks USING gin (search_vector)"
        )


@contextmanager
def _rows_kept_of_tables_referencing(table: str) -> Iterator[None]:
    """On SQLite, batch mode rebuilds `table` (copy, drop, rename), and dropping it cascades to
    the rows of tables referencing it; keep those rows aside and put them back afterwards."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    inspector = sa.inspect(bind)
    referencing = [
        name
        for name in inspector.get_table_names()
        if any(fk["referred_table"] == table for fk in inspector.get_foreign_keys(name))
    ]
    # The names come from the database's own schema, not from input.
    for name in referencing:
        op.execute(f'CREATE TEMP TABLE "_kept_{name}" AS SELECT * FROM "{name}"')  # noqa: S608
    yield
    for name in referencing:
        op.execute(f'DELETE FROM "{name}"')  # noqa: S608
        op.execute(f'INSERT INTO "{name}" SELECT * FROM "_kept_{name}"')  # noqa: S608
        op.execute(f'DROP TABLE "_kept_{name}"')


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Triggers first: SQLite re-checks every trigger when a table is renamed below.
        for trigger in ("fact_checks_ai", "fact_checks_ad", "fact_checks_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS fact_checks_fts")
    op.execute("DELETE FROM evidence WHERE passage_id IS NULL")
    with (
        _rows_kept_of_tables_referencing("evidence"),
        op.batch_alter_table("evidence", schema=None) as batch_op,
    ):
        batch_op.drop_constraint(
            batch_op.f("fk_evidence_archive_id_archived_pages"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("uq_evidence_claim_id_provider_source_key"), type_="unique"
        )
        batch_op.create_unique_constraint(
            "uq_evidence_claim_id_passage_id", ["claim_id", "passage_id"]
        )
        batch_op.alter_column("passage_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("details")
        batch_op.drop_column("archive_id")
        batch_op.drop_column("source_url")
        batch_op.drop_column("source_title")
        batch_op.drop_column("source_key")
        batch_op.drop_column("provider")
    with op.batch_alter_table("evidence_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_evidence_requests_claim_id")
    op.drop_table("evidence_requests")
    op.drop_table("provider_cache")
    op.drop_table("fact_checks")
    op.drop_table("archived_pages")
