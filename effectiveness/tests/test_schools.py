"""Each school keeps its own audit template, checks and risk assessments."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError, scope

from effectiveness.models import AuditItem, ChecklistItem, EffectivenessCheck, RiskAssessment
from effectiveness.tasks import send_risk_reminders
from effectiveness.tests.factories import ChecklistItemFactory, RiskAssessmentFactory, a_check
from overstone.models import Email, School
from overstone.roles import Role
from overstone.schools import default_school, school_scope
from overstone.tests.factories import UserFactory
from reporting.tests.factories import PolicyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools() -> tuple[School, School]:
    one = default_school()
    return one, School.objects.create(trust=one.trust, name="Two", code="TWO")


def person(role: Role, school: School, **fields):
    with school_scope(school):
        return UserFactory(roles=[role], **fields)


@pytest.fixture
def coordinator(schools, client):
    user = person(Role.COORDINATOR, schools[0])
    client.force_login(user)
    return user


@pytest.fixture
def theirs(schools):
    """The second school's template line, check and risk assessment."""
    with school_scope(schools[1]):
        line = ChecklistItemFactory(text="Their checklist line")
        check = a_check(title="Their observation")
        risk = RiskAssessmentFactory(activity="Their activity")
    return {"line": line, "check": check, "risk": risk}


def test_the_lists_show_the_schools_own(client, coordinator, schools, theirs):
    with school_scope(schools[0]):
        a_check(title="Our observation", actor=coordinator)
        RiskAssessmentFactory(activity="Our activity")
        ChecklistItemFactory(text="Our checklist line")
    checks = client.get(reverse("effectiveness:check_list")).text
    assert "Our observation" in checks and "Their observation" not in checks
    risks = client.get(reverse("effectiveness:risk_list")).text
    assert "Our activity" in risks and "Their activity" not in risks
    lines = client.get(reverse("effectiveness:checklist")).text
    assert "Our checklist line" in lines and "Their checklist line" not in lines


def test_another_schools_records_are_not_found(client, coordinator, theirs):
    reference, risk, line = theirs["check"].reference, theirs["risk"].pk, theirs["line"].pk
    for name, arg in [
        ("effectiveness:check_detail", reference),
        ("effectiveness:check_update", reference),
        ("effectiveness:risk_detail", risk),
        ("effectiveness:risk_update", risk),
        ("effectiveness:checklist_item", line),
    ]:
        assert client.get(reverse(name, args=[arg])).status_code == 404, name


def test_another_schools_records_cannot_be_acted_on(client, coordinator, theirs):
    check = theirs["check"]
    complete = reverse("effectiveness:check_complete", args=[check.reference])
    assert client.post(complete).status_code == 404
    edit = reverse("effectiveness:risk_update", args=[theirs["risk"].pk])
    assert client.post(edit, {"activity": "Taken over"}).status_code == 404
    check.refresh_from_db()
    assert check.status == EffectivenessCheck.Status.DRAFT
    assert RiskAssessment.objects.get(pk=theirs["risk"].pk).activity == "Their activity"


def test_a_check_is_noted_against_the_schools_policies_and_carries_its_code(client, schools):
    one, two = schools
    with school_scope(one):
        PolicyFactory(title="Policy At One")
    with school_scope(two):
        ours = PolicyFactory(title="Policy At Two")
        ChecklistItemFactory(text="Line At Two")
    with school_scope(one):
        ChecklistItemFactory(text="Line At One")
    coordinator = person(Role.COORDINATOR, two)
    client.force_login(coordinator)
    url = reverse("effectiveness:check_create", args=["audit"])
    policies = set(client.get(url).context["form"].fields["policy"].queryset)
    assert policies == {ours}
    response = client.post(url, {
        "policy": ours.pk, "held_on": timezone.localdate().isoformat(),
        "checked_by": coordinator.pk, "title": "Audit at two",
    })  # fmt: skip
    assert response.status_code == 302
    audit = EffectivenessCheck.objects.get(title="Audit at two")
    assert audit.school == two and audit.reference.startswith("TWO-CHK-")
    assert [item.text for item in AuditItem.objects.filter(audit=audit)] == ["Line At Two"]


def test_risk_reminders_go_school_by_school(schools):
    one, two = schools
    soon = timezone.localdate() + timedelta(days=3)
    with school_scope(one):
        ours = RiskAssessmentFactory(review_due=soon)
    with school_scope(two):
        theirs = RiskAssessmentFactory(review_due=soon)

    assert send_risk_reminders() == 2

    emails = {email.school_id: email.to for email in Email.objects.all()}
    assert emails == {one.pk: [ours.owner.email], two.pk: [theirs.owner.email]}


def test_checks_are_not_read_outside_a_school(schools):
    for model in (EffectivenessCheck, ChecklistItem, RiskAssessment, AuditItem):
        with pytest.raises(ScopeError), scope():
            model.objects.count()
