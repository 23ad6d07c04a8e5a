from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and reviews"

    def ready(self) -> None:
        from claims import models
        from claims.cache import public_changed
        from sources.models import Source

        # Any write to a row that can appear on a public page or response makes the cached
        # public output stale (see claims.cache).
        for model in (
            models.Topic,
            models.Claimant,
            models.Claim,
            models.Appearance,
            models.RatingScale,
            models.Rating,
            models.Publisher,
            models.Review,
            models.Evidence,
            models.Correction,
            Source,
        ):
            post_save.connect(public_changed, sender=model, dispatch_uid=f"public-{model.__name__}")
            post_delete.connect(
                public_changed, sender=model, dispatch_uid=f"public-del-{model.__name__}"
            )
        m2m_changed.connect(
            public_changed, sender=models.Claim.topics.through, dispatch_uid="public-claim-topics"
        )
