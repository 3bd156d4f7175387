"""Each school keeps its own subject-access requests, legal holds and retention reviews."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError, scope

from incidents.tests.factories import IncidentFactory
from overstone.models import Email, School
from overstone.roles import Role
from overstone.schools import default_school, school_scope
from overstone.tests.factories import UserFactory
from privacy import services
from privacy.models import LegalHold, RetentionReview, SubjectAccessRequest
from privacy.tasks import remind_subject_access_due, review_retention

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools() -> tuple[School, School]:
    one = default_school()
    return one, School.objects.create(trust=one.trust, name="Two", code="TWO")


def person(role: Role, school: School, **fields):
    with school_scope(school):
        return UserFactory(roles=[role], **fields)


def sar_in(school: School, principal, name: str, **fields) -> SubjectAccessRequest:
    fields.setdefault("received_on", timezone.localdate())
    with school_scope(school):
        return services.sar_create(actor=principal, subject_name=name, **fields)


@pytest.fixture
def two_principals(schools, client):
    """The first school's principal logged in; each school with a request and a hold."""
    one, two = schools
    ours, theirs = person(Role.PRINCIPAL, one), person(Role.PRINCIPAL, two)
    client.force_login(ours)
    records = {
        "our_sar": sar_in(one, ours, "Alex Ourside"),
        "their_sar": sar_in(two, theirs, "Sam Theirside"),
    }
    for school, principal, key in [(one, ours, "our_hold"), (two, theirs, "their_hold")]:
        with school_scope(school):
            incident = IncidentFactory()
            records[key] = LegalHold.objects.create(
                record_type="incident",
                record_id=incident.pk,
                reference=f"{key.upper()}-1",
                reason="A claim",
                placed_by=principal,
            )
    return ours, theirs, records


def test_the_lists_show_the_schools_own(client, two_principals):
    _, _, records = two_principals
    requests = client.get(reverse("privacy:sar_list")).context["object_list"]
    assert list(requests) == [records["our_sar"]]
    holds = client.get(reverse("privacy:legal_holds")).context["page_obj"]
    assert records["their_hold"] not in holds.object_list


def test_another_schools_request_is_not_found_nor_acted_on(client, two_principals):
    _, _, records = two_principals
    theirs = records["their_sar"]
    for name in ("privacy:sar_detail", "privacy:sar_export"):
        assert client.get(reverse(name, args=[theirs.reference])).status_code == 404, name
    detail = reverse("privacy:sar_detail", args=[theirs.reference])
    assert client.post(detail, {"action": "complete"}).status_code == 404
    lift = reverse("privacy:legal_hold_lift", args=[records["their_hold"].pk])
    assert client.post(lift).status_code == 404
    theirs.refresh_from_db()
    records["their_hold"].refresh_from_db()
    assert theirs.status == "open" and records["their_hold"].is_active
    ours = reverse("privacy:sar_detail", args=[records["our_sar"].reference])
    assert client.get(ours).status_code == 200


def test_a_request_logged_belongs_to_the_school_and_carries_its_code(client, schools):
    one, two = schools
    client.force_login(person(Role.PRINCIPAL, two))
    form = {"subject_name": "Robin Second", "received_on": timezone.localdate().isoformat()}
    assert client.post(reverse("privacy:sar_create"), form).status_code == 302
    sar = SubjectAccessRequest.objects.get(subject_name="Robin Second")
    assert sar.school == two
    assert sar.reference.startswith("TWO-SAR-")


def test_only_the_schools_people_are_offered_as_the_account(client, schools):
    one, two = schools
    ours = person(Role.PARENT, one, first_name="Our", last_name="Parent")
    theirs = person(Role.PARENT, two, first_name="Their", last_name="Parent")
    client.force_login(person(Role.PRINCIPAL, one))
    form = client.get(reverse("privacy:sar_create")).context["form"]
    accounts = set(form.fields["subject_user"].queryset)
    assert ours in accounts and theirs not in accounts


def test_each_school_has_its_own_monthly_review(schools):
    one, two = schools
    person(Role.PRINCIPAL, one)
    person(Role.PRINCIPAL, two)

    review_retention()
    review_retention()  # the same month again: nothing new

    reviews = RetentionReview.objects.order_by("school_id")
    assert [review.school for review in reviews] == [one, two]


def test_each_principal_is_reminded_of_their_schools_requests(schools):
    one, two = schools
    ours = person(Role.PRINCIPAL, one, email="head@one.example")
    theirs = person(Role.PRINCIPAL, two, email="head@two.example")
    received = timezone.localdate() - timedelta(days=40)
    our_sar = sar_in(one, ours, "Late At One", received_on=received)
    their_sar = sar_in(two, theirs, "Late At Two", received_on=received)

    assert remind_subject_access_due() == 2

    sent = {(email.school, tuple(email.to)): email.subject for email in Email.objects.all()}
    assert set(sent) == {(one, ("head@one.example",)), (two, ("head@two.example",))}
    assert our_sar.reference in sent[(one, ("head@one.example",))]
    assert their_sar.reference in sent[(two, ("head@two.example",))]


def test_requests_and_holds_are_not_read_outside_a_school(schools):
    for model in (SubjectAccessRequest, LegalHold, RetentionReview):
        with pytest.raises(ScopeError), scope():
            model.objects.count()
