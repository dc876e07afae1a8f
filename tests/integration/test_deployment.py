"""The deployment files name only commands that exist, and the domain stays free of its edges."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from alembic import command as alembic
from alembic.config import Config
from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from claims.db import MIGRATIONS_DIR, current_revision, upgrade_database
from tests.conftest import ROOT, base_env


def _commands() -> list[list[str]]:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    # Our own services are the ones built from this repository.
    return [s["command"] for s in compose["services"].values() if s.get("build")]


def test_every_command_compose_runs_exists_in_the_project(data_dir: Path) -> None:
    from web.cli import main

    commands = _commands()
    assert {c[0] for c in commands} == {"claimtrack", "gunicorn"}
    for command in commands:
        if command[0] == "claimtrack":
            group, words = main, command[1:]
            while words and hasattr(group, "commands") and words[0] in group.commands:
                group, words = group.commands[words[0]], words[1:]
            assert group is not main, f"claimtrack has no command {command[1]!r}"
            for word in words:
                if word.startswith("--"):
                    assert word in {o for p in group.params for o in p.opts}, (command, word)
        else:
            assert shutil.which("gunicorn", path=str(Path(sys.executable).parent))
            module, attr = command[-1].split(":")
            env = base_env(data_dir)
            code = f"import {module}; assert callable({module}.{attr})"
            subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)


def test_dockerfile_copies_what_the_service_needs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for part in ("claims", "worker", "web", "seeds", "pyproject.toml"):
        assert f"COPY {part}" in dockerfile


def test_the_domain_imports_neither_flask_nor_celery() -> None:
    modules = [
        "claims." + p.stem if p.name != "__init__.py" else "claims"
        for p in (ROOT / "claims").glob("*.py")
    ]
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "edges = {'flask', 'celery', 'kombu'}\n"
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in edges)\n"
        + "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def test_migrations_upgrade_downgrade_and_upgrade_again(engine) -> None:  # type: ignore[no-untyped-def]
    assert current_revision(engine) is not None
    tables = set(inspect(engine).get_table_names())
    assert {"documents", "claims", "evidence", "outbox", "status_changes"} <= tables
    with engine.begin() as connection:
        alembic.downgrade(_alembic_config(connection), "base")
    assert current_revision(engine) is None
    upgrade_database(engine)
    assert current_revision(engine) is not None


def test_models_and_migrations_agree(engine) -> None:  # type: ignore[no-untyped-def]
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from claims.db import Base

    importlib.import_module("claims.models")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = [
            d
            for d in compare_metadata(context, Base.metadata)
            # The full-text tables and columns live outside the models on purpose.
            if not any(
                name in str(d)
                for name in ("passages_fts", "claims_fts", "fact_checks_fts", "search_vector")
            )
        ]
    assert diff == []


def _evidence(claim_id: int, provider: str, key: str, passage_id: int | None) -> Any:
    from claims.models import Evidence, Stance

    return Evidence(
        claim_id=claim_id,
        provider=provider,
        source_key=key,
        passage_id=passage_id,
        stance=Stance.NEUTRAL,
        score=0.5,
        snippet="Unemployment fell by 9% in 2023.",
    )


def test_migration_0008_keeps_one_evidence_row_per_claim_and_passage(engine) -> None:  # type: ignore[no-untyped-def]
    from claims.db import session_scope
    from claims.models import Claim, ClaimStatus, Document, Evidence, Passage, Source

    with engine.begin() as connection:  # the engine is at the head: back to before 0008
        alembic.downgrade(_alembic_config(connection), "0007")
    with session_scope(engine) as session:
        text = "Unemployment fell by 12% in 2023, the minister said."
        document = Document(origin="budget.txt", language="en", text=text, sha256="d" * 64)
        claim = Claim(
            text=text,
            start=0,
            end=len(text),
            sentence=text,
            language="en",
            checkworthiness=0.9,
            status=ClaimStatus.NEEDS_REVIEW,
        )
        document.claims.append(claim)
        source = Source(title="Labour statistics", language="en", text="x", sha256="s" * 64)
        first, second = (Passage(source=source, ordinal=i, text="x") for i in (0, 1))
        session.add_all([document, source, first, second])
        session.flush()
        claim_id, first_id, second_id = claim.id, first.id, second.id
        # Before 0008, a reused check could copy the checker's row of a passage a person had
        # attached to the claim: two rows for one passage.
        session.add_all(
            [
                _evidence(claim_id, "library", f"passage:{first_id}", first_id),
                _evidence(claim_id, "library-attached", f"passage:{first_id}", first_id),
                _evidence(claim_id, "library", f"passage:{second_id}", second_id),
                _evidence(claim_id, "factchecks", "https://checks.example/1", None),
            ]
        )

    upgrade_database(engine, "0008")

    assert current_revision(engine) == "0008"
    with session_scope(engine) as session:
        rows = session.scalars(select(Evidence).order_by(Evidence.id)).all()
        assert [(e.provider, e.passage_id) for e in rows] == [
            ("library-attached", first_id),
            ("library", second_id),
            ("factchecks", None),
        ]
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(_evidence(claim_id, "library-attached", f"passage:{second_id}", second_id))
    with session_scope(engine) as session:  # rows without a passage are not concerned
        session.add(_evidence(claim_id, "factchecks", "https://checks.example/2", None))
