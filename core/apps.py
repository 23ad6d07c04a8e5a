from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Plumbing any app may use: it imports no app and has no models (DESIGN.md section 2)."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import (
            checks,  # noqa: F401  (registers the deployment checks)
            schema,  # noqa: F401  (registers the OpenAPI serializer extension)
        )
