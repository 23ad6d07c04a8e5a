"""The project's own errors. The API maps them (factcheck.api.exception_handler) to HTTP 409."""


class Conflict(Exception):
    """The request cannot be applied to the row as it is now (HTTP 409 Conflict)."""

    code = "conflict"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidTransition(Conflict):
    """The workflow action is not allowed in the review's current state."""

    code = "invalid_transition"


class StaleVersion(Conflict):
    """The edit was based on an older version of the review than the one stored."""

    code = "stale_version"
