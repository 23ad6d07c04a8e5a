from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = "Search and matching"

    def ready(self) -> None:
        from matching import signals

        signals.connect()
