"""The project's own error type, shared by the apps: a write that cannot be applied to the row
as it is now. core.api.exception_handler maps it to HTTP 409 Conflict.

It lives here, in the project's plumbing, so that every app can raise it without importing
another app (`sources` never imports `claims`; claims.exceptions builds its workflow errors on
it).
"""


class Conflict(Exception):
    """The request cannot be applied to the row as it is now (HTTP 409 Conflict)."""

    code = "conflict"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
