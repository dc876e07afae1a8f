"""Sign-in and sign-out, the login requirement on every page, roles, and failed-login limits."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from claims.accounts import authenticate
from claims.models import Role, User
from web.extensions import db, login_manager

bp = Blueprint("auth", __name__)

# Endpoints reachable without signing in.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "health.healthz", "static", "i18n.set_language"})
LIMITER_KEY = "claimtrack_login_limiter"
API_PREFIX = "/api/"

P = ParamSpec("P")
R = TypeVar("R")


class LoginUser(UserMixin):
    """The signed-in account as Flask-Login sees it; `row` is the User in this request's session."""

    def __init__(self, row: User) -> None:
        self.row = row

    def get_id(self) -> str:
        return str(self.row.id)

    @property
    def username(self) -> str:
        return self.row.username

    @property
    def role(self) -> Role:
        return self.row.role

    def allows(self, needed: Role | str) -> bool:
        """Return whether this user's role has at least the rights of `needed`."""
        return self.row.role.allows(Role(needed))


@login_manager.user_loader
def load_user(user_id: str) -> LoginUser | None:
    try:
        row = db().get(User, int(user_id))
    except ValueError:
        return None
    if row is None or not row.active:
        return None
    return LoginUser(row)


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class LoginLimiter:
    """Counts failed sign-ins per client address and username within a sliding window.

    In memory and per process: enough to slow a guesser down on one server, not a shared quota.
    """

    def __init__(self, max_failures: int = 10, window: float = 300.0) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        stamps = self._failures.setdefault(key, deque())
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()
        return stamps

    def retry_after(self, address: str, username: str) -> int:
        """Seconds until this client may try this username again; 0 when it may now."""
        now = time.monotonic()
        with self._lock:
            stamps = self._recent((address, username.lower()), now)
            if len(stamps) < self.max_failures:
                return 0
            return max(1, int(stamps[0] + self.window - now) + 1)

    def fail(self, address: str, username: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent((address, username.lower()), now).append(now)
            if len(self._failures) > 10_000:
                # Forget keys whose failures have all aged out, so memory stays bounded.
                for key in list(self._failures):
                    if not self._recent(key, now):
                        del self._failures[key]

    def reset(self, address: str, username: str) -> None:
        with self._lock:
            self._failures.pop((address, username.lower()), None)


def _safe_next(target: str | None) -> str | None:
    # Only a path on this site: no scheme, no host, no protocol-relative "//" trick.
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def _wants_json() -> bool:
    return request.path.endswith(".json") or request.accept_mimetypes.best == "application/json"


def require_login() -> ResponseReturnValue | None:
    """Send anonymous visitors to the sign-in page (JSON callers get a 401)."""
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    if request.path.startswith(API_PREFIX):
        return None  # the API checks its bearer tokens itself (web/api)
    if _wants_json():
        body = {"error": {"code": "unauthenticated", "message": "sign in first"}}
        return jsonify(body), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def role_required(needed: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Refuse the view with 403 unless the signed-in user's role allows `needed`."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.is_authenticated or not current_user.allows(needed):
                abort(403, description=f"This needs the {needed.value} role or higher.")
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _limiter() -> LoginLimiter:
    limiter: LoginLimiter = current_app.extensions[LIMITER_KEY]
    return limiter


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    next_url = _safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("claims.queue"))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("login.html", form=form, error=None), status
    address = request.remote_addr or "unknown"
    username = form.username.data.strip()
    wait = _limiter().retry_after(address, username)
    if wait:
        minutes = -(-wait // 60)
        message = " ".join(
            (
                _("Too many failed sign-ins for this account from your address."),
                ngettext("Try again in %(num)d minute.", "Try again in %(num)d minutes.", minutes),
            )
        )
        response = current_app.make_response(
            (render_template("login.html", form=form, error=message), 429)
        )
        response.headers["Retry-After"] = str(wait)
        return response
    user = authenticate(db(), username, form.password.data)
    if user is None:
        _limiter().fail(address, username)
        return render_template("login.html", form=form, error=_("Wrong username or password.")), 401
    _limiter().reset(address, username)
    # A fresh session on sign-in, so nothing set before it survives (session fixation).
    session.clear()
    login_user(LoginUser(user))
    flash(_("Signed in as %(name)s.", name=user.username), "info")
    return redirect(next_url or url_for("claims.queue"))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    # A POST checked by CSRFProtect, so another site cannot sign a user out.
    logout_user()
    session.clear()
    flash(_("Signed out."), "info")
    return redirect(url_for("auth.login"))


def init_auth(app: Flask) -> None:
    """Wire Flask-Login, the login requirement and the failed-login limiter into `app`."""
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    app.extensions[LIMITER_KEY] = LoginLimiter()
    app.before_request(require_login)
    app.register_blueprint(bp)
