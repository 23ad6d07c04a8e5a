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


class StaleVersion(Conflict):
    """The edit was based on an older `version` of the row than the one stored."""

    code = "stale_version"


# A row's `version` is not the one the edit was based on (tests assert on it).
STALE_RECORD = (
    "Someone changed this {thing} while you were editing it (you edited version {based_on}, it "
    "is now at version {current}). Reload it, reapply your changes and save again."
)


def check_version(thing: str, current: int, based_on: int | None) -> None:
    """Raise StaleVersion unless `based_on` is None (no check asked) or the stored version."""
    if based_on is not None and based_on != current:
        raise StaleVersion(STALE_RECORD.format(thing=thing, based_on=based_on, current=current))
