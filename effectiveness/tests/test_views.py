from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from effectiveness.models import ChecklistItem, EffectivenessCheck, RiskAssessment
from effectiveness.tests.factories import (
    ChecklistItemFactory,
    RiskAssessmentFactory,
    a_check,
    an_audit,
)
from overstone.models import AuditLogEntry
from reporting.tests.factories import PolicyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, user_with_role):
    user = user_with_role("coordinator")
    client.force_login(user)
    return user


def test_the_coordinator_records_an_observation_noted_against_the_social_media_policy(
    client, coordinator
):
    policy = PolicyFactory(title="Parent & Community Use of Social Media Policy")
    url = reverse("effectiveness:check_create", args=["observation"])
    form = client.get(url).context["form"]
    assert form.initial["policy"] == policy
    response = client.post(url, {
        "policy": policy.pk, "held_on": timezone.localdate().isoformat(),
        "checked_by": coordinator.pk, "title": "Year 8 computing",
        "findings": "Pupils explained how to report a post",
    })  # fmt: skip
    check = EffectivenessCheck.objects.get()
    assert response.status_code == 302 and response["Location"] == check.get_absolute_url()
    assert (check.kind, check.title, check.policy) == ("observation", "Year 8 computing", policy)


def test_a_check_dated_in_the_future_is_refused_with_a_message(client, coordinator):
    policy = PolicyFactory()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(reverse("effectiveness:check_create", args=["observation"]), {
        "policy": policy.pk, "held_on": tomorrow.isoformat(), "checked_by": coordinator.pk,
        "title": "Year 8",
    })  # fmt: skip
    assert response.status_code == 200
    assert "cannot be dated in the future" in response.content.decode()
    assert not EffectivenessCheck.objects.exists()


def test_an_unknown_kind_of_check_is_not_found(client, coordinator):
    assert client.get("/effectiveness/new/inspection/").status_code == 404


def test_an_audit_without_a_template_is_refused_on_the_form_not_a_500(client, coordinator):
    response = client.post(reverse("effectiveness:check_create", args=["audit"]), {
        "policy": PolicyFactory().pk, "held_on": timezone.localdate().isoformat(),
        "checked_by": coordinator.pk, "title": "Annual e-safety audit",
    })  # fmt: skip
    assert response.status_code == 200
    assert "add them to the template first" in response.content.decode()


def test_the_coordinator_fills_in_and_completes_an_audit(client, coordinator):
    policy = PolicyFactory(review_due=date(2025, 8, 31))
    audit = an_audit(policy=policy, actor=coordinator)
    first, second = audit.items.all()
    response = client.post(reverse("effectiveness:audit_items", args=[audit.reference]), {
        f"outcome_{first.pk}": "met", f"evidence_{first.pk}": "Minutes of June",
        f"outcome_{second.pk}": "not_met", f"action_{second.pk}": "Train the new staff",
    })  # fmt: skip
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.outcome, second.action) == ("not_met", "Train the new staff")

    response = client.post(reverse("effectiveness:check_complete", args=[audit.reference]))
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.review_due == policy.next_review_after(audit.held_on)
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "Completed" in page and "Complete the check" not in page


def test_completing_with_something_missing_says_what_and_keeps_the_date(client, coordinator):
    policy = PolicyFactory(review_due=date(2025, 8, 31))
    audit = an_audit(policy=policy, actor=coordinator)
    response = client.post(
        reverse("effectiveness:check_complete", args=[audit.reference]), follow=True
    )
    assert "line 1: met, partly met or not met" in response.content.decode()
    policy.refresh_from_db()
    assert policy.review_due == date(2025, 8, 31)


def test_slt_reads_a_check_but_cannot_complete_it(client, user_with_role):
    policy = PolicyFactory(review_due=date(2025, 8, 31))
    check = a_check(policy=policy, findings="Fine")
    client.force_login(user_with_role("slt"))
    assert client.get(check.get_absolute_url()).status_code == 200
    assert "Complete the check" not in client.get(check.get_absolute_url()).content.decode()
    complete = reverse("effectiveness:check_complete", args=[check.reference])
    assert client.post(complete).status_code == 403
    policy.refresh_from_db()
    assert policy.review_due == date(2025, 8, 31)


def test_opening_a_check_is_in_the_audit_log(client, coordinator):
    check = a_check()
    client.get(check.get_absolute_url())
    assert AuditLogEntry.objects.filter(
        action=AuditLogEntry.Action.VIEW, object_reference=check.reference, user=coordinator
    ).exists()


def test_the_school_edits_its_audit_template(client, coordinator):
    response = client.post(reverse("effectiveness:checklist"), {
        "text": "Staff know how to report an online allegation", "position": 1, "in_use": "on",
    })  # fmt: skip
    assert response.status_code == 302
    line = ChecklistItem.objects.get()
    client.post(
        reverse("effectiveness:checklist_item", args=[line.pk]),
        {
            "text": line.text,
            "position": 1,
        },
    )  # fmt: skip  (in_use unticked)
    line.refresh_from_db()
    assert not line.in_use
    assert "Staff know how" in client.get(reverse("effectiveness:checklist")).content.decode()


def test_a_checklist_line_on_two_lines_is_refused(client, coordinator):
    ChecklistItemFactory()
    response = client.post(reverse("effectiveness:checklist"), {"text": "One\nTwo", "position": 2})
    assert response.status_code == 200
    assert ChecklistItem.objects.count() == 1


def test_the_coordinator_adds_and_changes_a_risk_assessment(client, coordinator):
    due = timezone.localdate() + timedelta(days=180)
    response = client.post(reverse("effectiveness:risk_create"), {
        "activity": "School Facebook page", "risks": "Offensive comments",
        "controls": "Moderated daily", "owner": coordinator.pk, "review_due": due.isoformat(),
    })  # fmt: skip
    assessment = RiskAssessment.objects.get()
    assert response["Location"] == assessment.get_absolute_url()
    client.post(reverse("effectiveness:risk_update", args=[assessment.pk]), {
        "activity": "School Facebook page", "risks": "Offensive comments",
        "controls": "Moderated twice a day", "owner": coordinator.pk,
        "review_due": due.isoformat(),
    })  # fmt: skip
    assessment.refresh_from_db()
    assert assessment.controls == "Moderated twice a day"


def test_the_risk_register_shows_an_overdue_review(client, coordinator):
    RiskAssessmentFactory(activity="Old one", review_due=timezone.localdate() - timedelta(days=1))
    RiskAssessmentFactory(activity="Due today", review_due=timezone.localdate())
    page = client.get(reverse("effectiveness:risk_list")).content.decode()
    assert page.count("overdue</span>") == 1


def test_the_checks_are_listed_a_page_at_a_time_keeping_the_kind(client, coordinator):
    policy = PolicyFactory()
    EffectivenessCheck.objects.bulk_create(
        EffectivenessCheck(
            reference=f"CHK-2026-{n:04}",
            kind="filtering" if n % 2 else "observation",
            policy=policy,
            held_on=date(2026, 1, 1) + timedelta(days=n),
            checked_by=coordinator,
            created_by=coordinator,
            title=f"Check {n}",
        )
        for n in range(1, 53)
    )
    page = client.get(reverse("effectiveness:check_list"), {"kind": "filtering"}).text
    assert page.count(">CHK-2026-") == 25 and "Page 1 of 2" in page
    assert page.index("CHK-2026-0051") < page.index("CHK-2026-0049")  # newest first
    assert "?kind=filtering&amp;page=2" in page
    second = client.get(reverse("effectiveness:check_list"), {"kind": "filtering", "page": 2})
    assert second.text.count(">CHK-2026-") == 1 and "CHK-2026-0001" in second.text


def test_the_risk_register_is_listed_a_page_at_a_time(client, coordinator):
    RiskAssessment.objects.bulk_create(
        RiskAssessment(
            activity=f"Activity {n:02}",
            risks="r",
            controls="c",
            owner=coordinator,
            review_due=date(2027, 1, 1) + timedelta(days=n),
        )
        for n in range(26)
    )
    page = client.get(reverse("effectiveness:risk_list")).text
    assert page.count("Activity ") == 25 and "Page 1 of 2" in page
    assert "Activity 25" in client.get(reverse("effectiveness:risk_list"), {"page": 2}).text
