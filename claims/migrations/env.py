"""Alembic environment: runs on the connection handed over by claims.db.upgrade_database,
or on CLAIMTRACK_DATABASE_URL when the alembic command line is used."""

from alembic import context
from sqlalchemy import Connection

from claims import models  # noqa: F401  (registers the tables on Base.metadata)
from claims.config import Settings
from claims.db import Base, make_engine

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(Settings.from_env().database_url)
    with engine.begin() as fresh:
        _run(fresh)
