"""The deployment files name only commands that exist, and the domain stays free of its edges."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from sqlalchemy import inspect

from claims.db import current_revision, upgrade_database
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


def test_migrations_upgrade_downgrade_and_upgrade_again(engine) -> None:  # type: ignore[no-untyped-def]
    from alembic import command
    from alembic.config import Config

    from claims.db import MIGRATIONS_DIR

    assert current_revision(engine) is not None
    tables = set(inspect(engine).get_table_names())
    assert {"documents", "claims", "evidence", "outbox", "status_changes"} <= tables
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
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
