from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and reviews"

    def ready(self) -> None:
        from claims import signals

        signals.connect()
