"""The command line as a user meets it: outputs, exit codes and one-line errors."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import func, select

from claims.db import get_engine, session_scope
from claims.models import Claim, Document, User
from tests.conftest import SEED_ARTICLE, CliRunner

ARTICLE_TEXT = SEED_ARTICLE.read_text(encoding="utf-8")


def test_segment_prints_verbatim_claims_as_json_lines(cli: CliRunner) -> None:
    result = cli("segment", str(SEED_ARTICLE))
    assert result.returncode == 0, result.stderr
    claims = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(claims) >= 5
    required = {
        "text",
        "start",
        "end",
        "sentence",
        "language",
        "checkworthiness",
        "quantities",
        "speaker",
        "speaker_text",
        "hedged",
    }
    for claim in claims:
        assert required <= claim.keys()
        assert ARTICLE_TEXT[claim["start"] : claim["end"]] == claim["text"]
        assert claim["language"] == "fr"
        assert 0 <= claim["checkworthiness"] <= 1
    figure = next(c for c in claims if "98 000" in c["text"])
    assert {"value": 98000, "approximate": True}.items() <= figure["quantities"][0].items()


def test_segment_reads_stdin_and_prints_one_json_document(cli: CliRunner) -> None:
    result = cli("segment", "-", "--format", "json", input=ARTICLE_TEXT)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["language"] == "fr"
    assert document["date"] == "2022-09"
    assert document["claims"]


def test_segment_honours_a_language_override(cli: CliRunner) -> None:
    result = cli("segment", "-", "--lang", "en", "--format", "json", input=ARTICLE_TEXT)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["language"] == "en"


@pytest.mark.parametrize(
    ("content", "message", "code"),
    [
        (b"", "is empty", 65),
        (b"   \n\n  ", "is empty", 65),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", 65),
        ("Environ 98 000 Russes sont entrés.".encode("latin-1"), "not valid utf-8", 65),
    ],
)
def test_bad_files_get_a_one_line_error_and_store_nothing(
    cli: CliRunner, tmp_path: Path, data_dir: Path, content: bytes, message: str, code: int
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    for command in ("segment", "ingest"):
        result = cli(command, str(path))
        assert result.returncode == code
        assert message in result.stderr.lower()
        assert len(result.stderr.strip().splitlines()) == 1
    _assert_nothing_stored(data_dir)


def _assert_nothing_stored(data_dir: Path) -> None:
    database = data_dir / "claimtrack.db"
    if not database.exists():
        return
    with session_scope(get_engine(f"sqlite:///{database}")) as session:
        assert session.scalar(select(func.count(Document.id))) == 0
        assert session.scalar(select(func.count(Claim.id))) == 0


def test_a_missing_file_is_reported(cli: CliRunner, tmp_path: Path) -> None:
    result = cli("ingest", str(tmp_path / "nowhere.txt"))
    assert result.returncode == 66
    assert result.stderr.strip() == f"error: no such file: {tmp_path / 'nowhere.txt'}"


def test_the_same_document_twice_is_stored_once(cli: CliRunner, data_dir: Path) -> None:
    first = cli("ingest", str(SEED_ARTICLE))
    second = cli("ingest", "-", input=ARTICLE_TEXT)
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    assert "already ingested" in second.stdout
    with session_scope(get_engine(f"sqlite:///{data_dir / 'claimtrack.db'}")) as session:
        assert session.scalar(select(func.count(Document.id))) == 1


class _Pages(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/article":
            body = (
                b"<html><head><title>Exodus to Kazakhstan</title></head><body><nav>Home</nav>"
                b"<article><h1>Exodus to Kazakhstan</h1><p>About 98,000 Russians entered "
                b"Kazakhstan in the week after the mobilisation was announced, Kazakh officials "
                b"said on Tuesday.</p><p>The defence ministry said about 300,000 reservists would "
                b"be called up.</p></article></body></html>"
            )
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        elif self.path == "/image":
            body = b"\x89PNG\r\n\x1a\n" + bytes(64)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
        else:
            body = b"gone"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_ingest_a_url_from_a_local_server(
    cli: CliRunner, sqlite_env: dict[str, str], web_server: str, data_dir: Path
) -> None:
    env = {**sqlite_env, "CLAIMTRACK_ALLOW_PRIVATE_URLS": "1"}
    result = cli("ingest", f"{web_server}/article", env=env)
    assert result.returncode == 0, result.stderr
    with session_scope(get_engine(f"sqlite:///{data_dir / 'claimtrack.db'}")) as session:
        document = session.scalars(select(Document)).one()
        assert document.origin == f"{web_server}/article"
        assert document.title == "Exodus to Kazakhstan"
        assert document.language == "en"
        assert any("98,000" in c.text for c in document.claims)


def test_urls_that_cannot_be_used_are_refused(
    cli: CliRunner, sqlite_env: dict[str, str], web_server: str, data_dir: Path
) -> None:
    private = cli("ingest", f"{web_server}/article")
    assert private.returncode == 69
    assert "private, loopback or reserved" in private.stderr
    allowed = {**sqlite_env, "CLAIMTRACK_ALLOW_PRIVATE_URLS": "1"}
    missing = cli("ingest", f"{web_server}/missing", env=allowed)
    assert missing.returncode == 69 and "HTTP 404" in missing.stderr
    image = cli("ingest", f"{web_server}/image", env=allowed)
    assert image.returncode == 65 and "image/png" in image.stderr
    # A port nobody listens on.
    dead = cli("ingest", "http://127.0.0.1:9/", env=allowed)
    assert dead.returncode == 69 and dead.stderr.startswith("error: cannot fetch")
    _assert_nothing_stored(data_dir)


def test_user_add_reads_the_password_from_stdin(cli: CliRunner, data_dir: Path) -> None:
    result = cli("user", "add", "desk", "--role", "editor", input="a long passphrase\n")
    assert result.returncode == 0, result.stderr
    again = cli("user", "add", "desk", "--role", "editor", input="a long passphrase\n")
    assert again.returncode == 1 and "already exists" in again.stderr
    short = cli("user", "add", "other", input="short\n")
    assert short.returncode == 65 and "at least 8" in short.stderr
    with session_scope(get_engine(f"sqlite:///{data_dir / 'claimtrack.db'}")) as session:
        user = session.scalars(select(User)).one()
        assert (user.username, user.role.value) == ("desk", "editor")
        assert "a long passphrase" not in user.password_hash


def test_user_add_keeps_the_interface_language(cli: CliRunner, data_dir: Path) -> None:
    result = cli("user", "add", "reviewer_fr", "--language", "fr", input="a long passphrase\n")
    assert result.returncode == 0, result.stderr
    unknown = cli("user", "add", "otto", "--language", "de", input="a long passphrase\n")
    assert unknown.returncode == 2 and "'de' is not one of 'en', 'fr'" in unknown.stderr
    with session_scope(get_engine(f"sqlite:///{data_dir / 'claimtrack.db'}")) as session:
        user = session.scalars(select(User)).one()
        assert (user.username, user.language) == ("reviewer_fr", "fr")


def test_commands_using_stdin_and_stdout_run_with_deprecations_as_errors(
    cli: CliRunner, sqlite_env: dict[str, str]
) -> None:
    # As `python -W error::DeprecationWarning`: no deprecated click stream helper is used.
    strict = {**sqlite_env, "PYTHONWARNINGS": "error::DeprecationWarning"}
    segmented = cli("segment", "-", input=ARTICLE_TEXT, env=strict)
    assert segmented.returncode == 0, segmented.stderr
    texts = [json.loads(line)["text"] for line in segmented.stdout.splitlines()]
    assert any("98 000" in text for text in texts)
    added = cli("user", "add", "reviewer1", input="a long passphrase\n", env=strict)
    assert added.returncode == 0, added.stderr
    assert "user reviewer1 created" in added.stdout
    exported = cli("export", "--format", "csv", env=strict)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("claim_id,")


def test_export_rejects_unknown_documents_and_statuses(cli: CliRunner) -> None:
    unknown = cli("export", "--document", "4242")
    assert unknown.returncode == 66 and "no document with id 4242" in unknown.stderr
    status = cli("export", "--status", "maybe")
    assert status.returncode == 65 and "unknown status 'maybe'" in status.stderr


def test_a_production_setup_without_a_secret_refuses_to_start(
    cli: CliRunner, sqlite_env: dict[str, str]
) -> None:
    env = {**sqlite_env, "CLAIMTRACK_BROKER_URL": "redis://127.0.0.1:6379/9"}
    result = cli("db", "upgrade", env=env)
    assert result.returncode == 78
    assert "CLAIMTRACK_SECRET_KEY" in result.stderr


def test_token_create_prints_the_token_once_and_export_writes_every_format(
    cli: CliRunner, data_dir: Path
) -> None:
    created = cli("token", "create", "newsroom-cms", "--role", "viewer")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip()
    assert token.startswith("ct_")
    assert "shown only now" in created.stderr
    again = cli("token", "create", "newsroom-cms", "--role", "viewer")
    assert again.returncode == 1
    assert again.stderr.startswith("error: ") and "already exists" in again.stderr
    hook = cli("webhook", "add", "http://127.0.0.1:9/hook")
    assert hook.returncode == 0, hook.stderr
    assert hook.stdout.strip().startswith("whsec_")
    assert cli("webhook", "add", "ftp://example.org/").returncode == 65
    ingested = cli("ingest", str(SEED_ARTICLE))
    assert ingested.returncode == 0, ingested.stderr
    for fmt in ("jsonl", "claimreview", "html"):
        out = data_dir / f"report.{fmt}"
        exported = cli("export", "--format", fmt, "-o", str(out))
        assert exported.returncode == 0, exported.stderr
        assert out.stat().st_size > 0
        assert not out.with_name(out.name + ".partial").exists()
    # No claim has a verdict yet: the ClaimReview feed is an empty list.
    assert (data_dir / "report.claimreview").read_text() == "[]\n"
    assert len((data_dir / "report.jsonl").read_text().splitlines()) >= 5
    pdf = cli("export", "--format", "pdf", "--document", "1", "-o", str(data_dir / "r.pdf"))
    assert pdf.returncode == 0, pdf.stderr
    assert (data_dir / "r.pdf").read_bytes().startswith(b"%PDF")


def test_segment_in_social_mode_gives_the_tuned_model_s_reason(cli: CliRunner) -> None:
    post = (
        "Officials said 4,300 households lost power after the storm on Tuesday. "
        "Thinking of everyone affected tonight!\n"
    )
    result = cli("segment", "-", "--mode", "social", "--lang", "en", input=post)
    assert result.returncode == 0, result.stderr
    claims = [json.loads(line) for line in result.stdout.splitlines()]
    assert claims
    for claim in claims:
        assert post[claim["start"] : claim["end"]] == claim["text"]
        assert any(reason.startswith("model (social): ") for reason in claim["reasons"])


POST = (
    "Officials said 4,300 households lost power after the storm on Tuesday. "
    "Thinking of everyone affected tonight!\n"
)


def _stored_reasons(data_dir: Path) -> list[list[str]]:
    with session_scope(get_engine(f"sqlite:///{data_dir / 'claimtrack.db'}")) as session:
        return [claim.reasons for claim in session.scalars(select(Claim))]


def test_ingest_in_social_mode_stores_the_tuned_model_s_reasons(
    cli: CliRunner, data_dir: Path
) -> None:
    result = cli("ingest", "-", "--mode", "social", "--lang", "en", input=POST)
    assert result.returncode == 0, result.stderr
    reasons = _stored_reasons(data_dir)
    assert reasons
    assert all(claim[0].startswith("model (social): ") for claim in reasons)


def test_ingest_without_mode_uses_the_segment_mode_setting(
    cli: CliRunner, sqlite_env: dict[str, str], data_dir: Path
) -> None:
    env = {**sqlite_env, "CLAIMTRACK_SEGMENT_MODE": "social"}
    result = cli("ingest", "-", "--lang", "en", input=POST, env=env)
    assert result.returncode == 0, result.stderr
    reasons = _stored_reasons(data_dir)
    assert reasons
    assert all(claim[0].startswith("model (social): ") for claim in reasons)


def test_an_unknown_segment_mode_setting_refuses_to_start(
    cli: CliRunner, sqlite_env: dict[str, str], data_dir: Path
) -> None:
    env = {**sqlite_env, "CLAIMTRACK_SEGMENT_MODE": "bogus"}
    result = cli("ingest", "-", input=POST, env=env)
    assert result.returncode == 78
    assert result.stderr.startswith("error: CLAIMTRACK_SEGMENT_MODE names unknown mode 'bogus'")
    _assert_nothing_stored(data_dir)
