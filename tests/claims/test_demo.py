import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.http import HttpRequest

from claims.claimreview import review_claimreview
from claims.demo_content import CLAIMS
from claims.models import Claim, Evidence, Review, ReviewStatus, WorkflowEvent
from sources.models import Source

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, object]:
    return {
        "claims": list(Claim.objects.values_list("slug", "updated_at").order_by("slug")),
        "reviews": list(Review.objects.values_list("id", "status", "updated_at").order_by("id")),
        "evidence": Evidence.objects.count(),
        "sources": list(Source.objects.values_list("url", "updated_at").order_by("url")),
        "events": WorkflowEvent.objects.count(),
    }


def test_load_demo_twice_changes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first
    assert "nothing changed" in capsys.readouterr().out


def test_load_demo_prints_the_demo_accounts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_demo")
    out = capsys.readouterr().out
    for username in ("factchecker", "editor", "publisher", "admin"):
        assert username in out
    assert "factcheck-demo" in out


def test_demo_accounts_can_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    call_command("load_demo")
    for username in ("factchecker", "editor", "publisher", "admin"):
        assert client.login(request=HttpRequest(), username=username, password="factcheck-demo"), (
            username
        )
        assert client.get("/admin/").status_code == 200
        client.logout()


def test_demo_holds_the_sessions_fact_check_with_evidence_and_rating() -> None:
    call_command("load_demo")
    review = Review.objects.published().get(
        claim__slug="sessions-did-not-have-communications-with-the-russians"
    )
    assert review.claim.claimant.name == "Jeff Sessions"
    assert review.claim.date_claimed.isoformat() == "2017-01-10"
    assert review.rating.label == "False"
    publishers = set(review.evidence.values_list("source__publisher", flat=True))
    assert {"The New York Times", "The Atlantic", "The Washington Post"} <= publishers
    assert review.corrections.count() == 1


def test_demo_covers_every_rating_and_every_state() -> None:
    call_command("load_demo")
    published = Review.objects.published()
    assert set(published.values_list("rating__slug", flat=True)) == {
        "true",
        "mostly-true",
        "half-true",
        "mostly-false",
        "false",
        "misleading",
        "unproven",
    }
    assert set(Review.objects.values_list("status", flat=True)) == set(ReviewStatus.values)
    scheduled = Review.objects.filter(status=ReviewStatus.PUBLISHED).exclude(pk__in=published)
    assert scheduled.count() == 1
    assert Claim.objects.count() == len(CLAIMS) >= 12
    assert Claim.objects.values("claimant").distinct().count() >= 5


def test_every_published_demo_review_validates_without_errors_or_warnings() -> None:
    call_command("load_demo")
    for review in Review.objects.published().for_claimreview():
        _, result = review_claimreview(review)
        assert (result.errors, result.warnings) == ([], []), review.claim.slug


def test_load_demo_is_refused_where_demo_accounts_would_be_a_hole(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FACTCHECK_DEMO = False
    with pytest.raises(CommandError, match="runs only with DEBUG on or FACTCHECK_DEMO=1"):
        call_command("load_demo")
    assert not User.objects.exists()
    assert not Claim.objects.exists()


def test_a_demo_reviews_field_history_starts_from_the_state_the_demo_left_it_in() -> None:
    """The demo writes states without the workflow actions (to keep its historical dates); its
    history still records the state reached, so the first real change (a correction here) shows
    only what that change did, not the demo's draft-to-published steps."""
    from claims.audit import review_field_history
    from claims.models import CorrectionKind
    from claims.services.reviews import review_correct

    call_command("load_demo")
    review = Review.objects.get(claim__slug="we-send-the-eu-350-million-a-week")
    assert review.status == ReviewStatus.PUBLISHED
    review_correct(
        review=review,
        by=User.objects.get(username="publisher"),
        kind=CorrectionKind.CLARIFICATION,
        note="We added the rebate to the summary.",
        changes={"summary": review.summary + " After the rebate it was about £250 million."},
        version=review.version,
    )
    last = [change for change in review_field_history(review) if change.model == "review"][-1]
    assert {change.field for change in last.fields} <= {"summary", "version", "date_modified"}
    assert "summary" in {change.field for change in last.fields}
