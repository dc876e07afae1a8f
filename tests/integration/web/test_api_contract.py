"""The OpenAPI document describes exactly the routes of /api/v1, and the API keeps to it: a
schemathesis run against the app (in process, over WSGI) on a real SQLite database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from claims.config import Settings
from claims.db import get_engine, upgrade_database
from tests.integration.web.api_helpers import bearer, make_token
from web.api.base import ROUTE_ROLES
from web.api.openapi import openapi_document
from web.app import create_app

PREFIX = "/api/v1"


def _app(tmp_path: Path) -> Flask:
    settings_ = Settings.from_env({"CLAIMTRACK_DATA_DIR": str(tmp_path)}).prepared()
    upgrade_database(get_engine(settings_.database_url))
    app = create_app(settings_)
    app.config["TESTING"] = True
    return app


def test_every_api_route_is_in_the_openapi_document_and_back(tmp_path: Path) -> None:
    app = _app(tmp_path)
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule[len(PREFIX) :])
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            routes.add((method.lower(), path))
            assert rule.endpoint in ROUTE_ROLES, f"{rule.endpoint} declares no role"
    documented = {
        (method, path)
        for path, operations in openapi_document()["paths"].items()
        for method in operations
    }
    assert routes == documented
    # The role each operation documents is the role its view checks.
    for path, operations in openapi_document()["paths"].items():
        for method, operation in operations.items():
            rule = next(
                r
                for r in app.url_map.iter_rules()
                if re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", r.rule) == PREFIX + path
                and method.upper() in (r.methods or set())
            )
            role = ROUTE_ROLES[rule.endpoint]
            assert operation.get("x-required-role") == (role.value if role else None), path


def test_the_served_document_is_valid_openapi(tmp_path: Path) -> None:
    app = _app(tmp_path)
    served = app.test_client().get(f"{PREFIX}/openapi.json")
    assert served.status_code == 200
    assert served.get_json()["openapi"].startswith("3.1")
    schema = schemathesis.openapi.from_dict(served.get_json())
    assert len(list(schema.get_all_operations())) == sum(
        len(ops) for ops in served.get_json()["paths"].values()
    )


def _run_schemathesis(tmp_path: Path, *, methods: set[str], examples: int) -> int:
    """Check each operation with `methods` against generated requests; return how many ran.

    The pytest plugin of schemathesis does not load under this pytest, so the hypothesis
    strategies of the operations are driven here directly.
    """
    app = _app(tmp_path)
    token = make_token(get_engine(f"sqlite:///{tmp_path / 'claimtrack.db'}"), "contract", "admin")
    schema = schemathesis.openapi.from_wsgi(f"{PREFIX}/openapi.json", app)
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        # Revoking tokens at random would revoke the one the run uses.
        if operation.method.upper() not in methods or operation.path == "/tokens/{token_id}":
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case) -> None:  # type: ignore[no-untyped-def]
            # A well-formed URL may still be one that cannot be fetched (no such host, a private
            # address): the API answers 422 there, which the positive-data check would flag.
            excluded = [positive_data_acceptance] if case.operation.path == "/documents" else []
            case.call_and_validate(headers=bearer(token), excluded_checks=excluded)

        check()
        ran += 1
    return ran


def test_read_operations_keep_to_the_document(tmp_path: Path) -> None:
    assert _run_schemathesis(tmp_path, methods={"GET"}, examples=6) >= 7


@pytest.mark.slow
def test_every_operation_keeps_to_the_document(tmp_path: Path) -> None:
    assert _run_schemathesis(tmp_path, methods={"GET", "POST", "PUT", "DELETE"}, examples=40) >= 13
