"""Errors the domain raises for the edges (CLI, web, API) to turn into messages and statuses."""


class ClaimtrackError(Exception):
    """Base class: the message is meant for the user, on one line."""

    code = "error"


class InvalidInputError(ClaimtrackError):
    """The input cannot be used: empty, binary, wrongly encoded, too large, malformed."""

    code = "invalid_input"


class NotFoundError(ClaimtrackError):
    """An id or a file that does not exist."""

    code = "not_found"


class ConflictError(ClaimtrackError):
    """The change collides with the current state (a taken name, a stale version)."""

    code = "conflict"


class FetchError(ClaimtrackError):
    """A remote resource could not be fetched; `transient` says whether a retry may help."""

    code = "fetch_failed"

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class PermissionDeniedError(ClaimtrackError):
    """The user's role or relation to the object does not allow the action."""

    code = "forbidden"
