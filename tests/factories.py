"""One factory per model, with minimal valid defaults.

`ReviewFactory()` is a draft of ours; `ReviewFactory(published=True)` is public now (rated on the
default scale), `ReviewFactory(imported=True)` another publisher's fact check.
"""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimantKind,
    Correction,
    CorrectionKind,
    Evidence,
    Publisher,
    Rating,
    RatingScale,
    Review,
    ReviewStatus,
    Stance,
    Topic,
    WorkflowEvent,
)
from sources.models import Source, SourceKind

PASSWORD = "correct horse battery staple"


def default_rating(slug: str = "false") -> Rating:
    return Rating.objects.get(scale__is_default=True, slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.django.Password(PASSWORD)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ClaimantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claimant

    name = factory.Sequence(lambda n: f"Claimant {n}")
    kind = ClaimantKind.PERSON
    job_title = "Senator"
    # A URL has no spaces (Claimant.clean and the ClaimReview validator refuse them).
    same_as = factory.LazyAttribute(
        lambda c: [f"https://en.wikipedia.org/wiki/{c.name.replace(' ', '_')}"]
    )


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Claim number {n} was said out loud.")
    claimant = factory.SubFactory(ClaimantFactory)
    date_claimed = datetime.date(2017, 1, 10)
    venue = "Senate hearing"


class AppearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appearance

    claim = factory.SubFactory(ClaimFactory)
    url = factory.Sequence(lambda n: f"https://video.example.org/watch/{n}")
    title = "Video of the hearing"
    date = datetime.date(2017, 1, 10)


class RatingScaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatingScale

    name = factory.Sequence(lambda n: f"Scale {n}")
    slug = factory.Sequence(lambda n: f"scale-{n}")


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    scale = factory.SubFactory(RatingScaleFactory)
    label = factory.Sequence(lambda n: f"Rating {n}")
    slug = factory.Sequence(lambda n: f"rating-{n}")


class PublisherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publisher

    name = factory.Sequence(lambda n: f"Other Checker {n}")
    site = factory.Sequence(lambda n: f"checker{n}.example.net")
    url = factory.LazyAttribute(lambda p: f"https://{p.site}/")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://news.example.org/story/{n}")
    title = factory.Sequence(lambda n: f"Report {n}")
    publisher = "The Example Times"
    kind = SourceKind.NEWS_REPORT
    date_published = datetime.date(2017, 3, 1)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    class Params:
        published = factory.Trait(
            status=ReviewStatus.PUBLISHED,
            rating=factory.LazyFunction(default_rating),
            publish_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1)),
            date_published=factory.SelfAttribute("publish_at"),
        )
        imported = factory.Trait(
            publisher=factory.SubFactory(PublisherFactory),
            status=ReviewStatus.PUBLISHED,
            rating_label="False",
            external_url=factory.Sequence(lambda n: f"https://checker.example.net/checks/{n}"),
            publish_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
            date_published=factory.SelfAttribute("publish_at"),
        )

    claim = factory.SubFactory(ClaimFactory)
    headline = factory.Sequence(lambda n: f"Headline of review {n}")
    summary = "The short answer."
    body = "The long explanation."


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    review = factory.SubFactory(ReviewFactory)
    source = factory.SubFactory(SourceFactory)
    quote = "The quote that matters."
    stance = Stance.REFUTES


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    review = factory.SubFactory(ReviewFactory, published=True)
    kind = CorrectionKind.CORRECTION
    note = "We corrected the date of the hearing."


class WorkflowEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkflowEvent

    review = factory.SubFactory(ReviewFactory)
    actor = factory.SubFactory(UserFactory)
    action = "create"
    source = ""
    target = ReviewStatus.DRAFT
