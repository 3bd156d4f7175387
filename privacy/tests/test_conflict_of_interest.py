"""A complaint about the principal is the chair of governors' alone (conflict of
interest): the principal's data-protection pages neither show, list, hold nor anonymise
it, and say that such complaints are left out. Any other complaint is still there."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import OnlineComplaint, Stage
from complaints.tests.factories import ComplaintFactory
from overstone.roles import Role
from privacy import services
from privacy.models import LegalHold

pytestmark = pytest.mark.django_db

LEFT_OUT = "Complaints about the principal are left out (conflict of interest)"


@pytest.fixture
def principal(user_with_role):
    return user_with_role(Role.PRINCIPAL)


def finished_complaint(*, about_principal: bool, content: str) -> OnlineComplaint:
    """A resolved complaint that finished seven years ago: past its six years."""
    return ComplaintFactory(
        about_principal=about_principal,
        content=content,
        stage=Stage.RESOLVED,
        stage_due=None,
        finished_at=timezone.now() - timedelta(days=365 * 7),
    )


@pytest.fixture
def about_principal():
    return finished_complaint(
        about_principal=True, content="Pat Quimby says the head teacher lied to parents."
    )


@pytest.fixture
def about_staff():
    return finished_complaint(
        about_principal=False, content="Pat Quimby says the maths teacher is useless."
    )


def test_the_request_page_and_export_leave_out_a_complaint_about_the_principal(
    client, principal, about_principal, about_staff
):
    sar = services.sar_create(
        actor=principal, subject_name="Pat Quimby", received_on=timezone.localdate()
    )
    client.force_login(principal)
    page = client.get(sar.get_absolute_url()).text
    assert about_staff.reference in page and "maths teacher" in page
    assert about_principal.reference not in page and "lied to parents" not in page
    assert "Records that mention them (1)" in page and LEFT_OUT in page
    export = client.get(reverse("privacy:sar_export", args=[sar.reference]))
    rows = list(csv.reader(io.StringIO(export.getvalue().decode())))
    assert [row[1] for row in rows[1:]] == [about_staff.reference]
    assert "lied to parents" not in export.getvalue().decode()


def test_past_retention_neither_lists_nor_anonymises_a_complaint_about_the_principal(
    client, principal, about_principal, about_staff
):
    client.force_login(principal)
    url = reverse("privacy:retention")
    page = client.get(url).text
    assert about_staff.reference in page
    assert about_principal.reference not in page and LEFT_OUT in page
    response = client.post(
        url,
        {
            "selected": [f"complaint:{about_principal.pk}", f"complaint:{about_staff.pk}"],
            "confirm": "on",
        },
        follow=True,
    )
    page = response.text
    assert f"Anonymised: {about_staff.reference}." in page
    assert f"complaint {about_principal.pk} is no longer awaiting a retention decision" in page
    assert about_principal.reference not in page  # not even named
    about_principal.refresh_from_db()
    assert about_principal.content.startswith("Pat Quimby says the head")


def test_a_complaint_about_the_principal_cannot_be_held_by_its_reference(
    client, principal, about_principal, about_staff
):
    client.force_login(principal)
    url = reverse("privacy:legal_holds")
    refused = client.post(url, {"reference": about_principal.reference, "reason": "Claim"})
    assert (
        f"No incident, complaint, concern or pupil has the reference {about_principal.reference}."
        in refused.text
    )
    assert not LegalHold.objects.exists()
    client.post(url, {"reference": about_staff.reference, "reason": "Claim"})
    assert LegalHold.objects.get().reference == about_staff.reference


def test_a_hold_on_a_complaint_about_the_principal_is_neither_listed_nor_lifted(
    client, principal, about_principal, user_with_role
):
    """A hold placed before the rule applied to data protection stays, out of reach."""
    hold = LegalHold.objects.create(
        record_type="complaint",
        record_id=about_principal.pk,
        reference=about_principal.reference,
        reason="Claim against the head",
        placed_by=user_with_role(Role.SLT),
    )
    client.force_login(principal)
    page = client.get(reverse("privacy:legal_holds")).text
    assert about_principal.reference not in page and "Claim against the head" not in page
    lift = client.post(reverse("privacy:legal_hold_lift", args=[hold.pk]))
    assert lift.status_code == 404
    hold.refresh_from_db()
    assert hold.is_active


def test_the_monthly_review_counts_only_what_the_principal_may_decide(
    principal, about_principal, about_staff, sent_mail
):
    assert services.retention_review_prepare() == 1
    [mail] = sent_mail
    assert "1 record past retention" in mail.subject
