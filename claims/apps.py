from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and reviews"

    def ready(self) -> None:
        from claims import models
        from claims.cache import claim_topics_changed, row_changed
        from sources.models import Source

        # A write to a row that is, or was, on a public page or response makes the cached
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
            post_save.connect(row_changed, sender=model, dispatch_uid=f"public-{model.__name__}")
            post_delete.connect(
                row_changed, sender=model, dispatch_uid=f"public-del-{model.__name__}"
            )
        m2m_changed.connect(
            claim_topics_changed,
            sender=models.Claim.topics.through,
            dispatch_uid="public-claim-topics",
        )

        # A claim's and a claimant's searched fields are folded into their reviews' search_text.
        from claims.search import claim_saved, claimant_saved

        post_save.connect(claim_saved, sender=models.Claim, dispatch_uid="search-claim")
        post_save.connect(claimant_saved, sender=models.Claimant, dispatch_uid="search-claimant")
