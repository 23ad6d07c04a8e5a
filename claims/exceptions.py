"""The project's own errors. The API maps them (core.api.exception_handler) to HTTP 409."""

from core.exceptions import Conflict, StaleVersion

__all__ = ["Conflict", "InvalidTransition", "StaleVersion"]


class InvalidTransition(Conflict):
    """The workflow action is not allowed in the review's current state."""

    code = "invalid_transition"
