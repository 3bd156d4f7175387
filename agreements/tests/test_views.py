import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import Signature, Signers
from agreements.tests.factories import agreement_for
from overstone.models import AuditLogEntry
from overstone.roles import Role
from overstone.tests.factories import UserFactory
from reporting.tests.factories import PolicyFactory

pytestmark = pytest.mark.django_db


def sign_url(agreement) -> str:
    return reverse("agreements:sign", args=[agreement.pk])


def test_a_parent_signs_for_a_child_they_name_then_picks_them_on_the_next_agreement(client):
    home_school, internet = agreement_for(), agreement_for()
    mum = UserFactory(roles=[Role.PARENT], first_name="Ann", last_name="Lee")
    client.force_login(mum)
    response = client.post(
        sign_url(home_school),
        {"child_name": " Amy  Lee ", "year_group": "Year 8", "form": "8B",
         "typed_name": "Ann Lee", "agreed": "on"},
        follow=True,
    )  # fmt: skip
    assert "is signed for Amy Lee" in response.content.decode()
    page = client.get(sign_url(internet)).content.decode()
    assert "Amy Lee (Year 8)" in page  # offered as a child already named
    client.post(sign_url(internet), {"child": "Amy Lee", "typed_name": "Ann Lee", "agreed": "on"})
    signature = Signature.objects.get(version__agreement=internet)
    assert (signature.child_name, signature.year_group, signature.form) == (
        "Amy Lee",
        "Year 8",
        "8B",
    )


def test_without_the_tick_nothing_is_signed_and_what_was_typed_stays(client):
    agreement = agreement_for()
    client.force_login(UserFactory(roles=[Role.PARENT]))
    response = client.post(
        sign_url(agreement), {"child_name": "Amy Lee", "year_group": "Year 8", "typed_name": "Ann"}
    )
    assert response.status_code == 200
    assert "Tick the box to agree." in response.content.decode()
    assert 'value="Amy Lee"' in response.content.decode()
    response = client.post(sign_url(agreement), {"typed_name": "Ann", "agreed": "on"})
    assert "Name the child this signature is for." in response.content.decode()
    assert not Signature.objects.exists()


def test_signing_twice_for_the_same_child_is_refused_with_a_message(client):
    agreement = agreement_for()
    client.force_login(UserFactory(roles=[Role.PARENT]))
    data = {"child": "", "child_name": "Amy Lee", "year_group": "Year 8", "typed_name": "Ann",
            "agreed": "on"}  # fmt: skip
    client.post(sign_url(agreement), data)
    response = client.post(sign_url(agreement), data)
    assert response.status_code == 200
    assert "already signed for Amy Lee" in response.content.decode()
    assert Signature.objects.count() == 1


def test_parents_see_only_their_own_signatures(client):
    agreement = agreement_for(agreement__title="Home-School Agreement")
    mum, other = UserFactory(roles=[Role.PARENT]), UserFactory(roles=[Role.PARENT])
    services.signature_sign(agreement=agreement, actor=other, typed_name="Other", agreed=True,
                            child_name="Zed Other", year_group="Year 9")  # fmt: skip
    client.force_login(mum)
    for url in (reverse("agreements:mine"), sign_url(agreement)):
        page = client.get(url).content.decode()
        assert "Home-School Agreement" in page
        assert "Zed Other" not in page
    assert client.get(reverse("agreements:register")).status_code == 403


def test_governors_sign_their_own_and_do_not_see_parents_or_staff_agreements(client):
    parents_agreement = agreement_for()
    staff_agreement = agreement_for(Signers.STAFF)
    governors_agreement = agreement_for(Signers.GOVERNORS, agreement__title="Governors' code")
    governor = UserFactory(roles=[Role.CHAIR_OF_GOVERNORS])
    client.force_login(governor)
    mine = client.get(reverse("agreements:mine")).content.decode()
    assert "Governors&#x27; code" in mine and parents_agreement.title not in mine
    assert client.get(sign_url(parents_agreement)).status_code == 404
    assert client.get(sign_url(staff_agreement)).status_code == 404
    client.post(sign_url(governors_agreement), {"typed_name": "G. Chair", "agreed": "on"})
    assert Signature.objects.get().signer == governor


def test_the_coordinator_sees_who_has_and_has_not_signed_and_filters(client):
    agreement = agreement_for(agreement__title="Internet access consent")
    signed_parent = UserFactory(roles=[Role.PARENT], first_name="Sally", last_name="Signed")
    UserFactory(roles=[Role.PARENT], first_name="Norma", last_name="Notyet")
    services.signature_sign(agreement=agreement, actor=signed_parent, typed_name="S", agreed=True,
                            child_name="Sam Signed", year_group="Year 7")  # fmt: skip
    client.force_login(UserFactory(roles=[Role.COORDINATOR]))
    register = client.get(reverse("agreements:register")).content.decode()
    assert "1 of 2" in register
    url = reverse("agreements:document", args=[agreement.pk])
    page = client.get(url).content.decode()
    assert "1 of 2 signed" in page and "Sam Signed" in page and "Norma Notyet" in page
    unsigned = client.get(url, {"status": "unsigned"}).content.decode()
    assert "Norma Notyet" in unsigned and "Sam Signed" not in unsigned
    year_7 = client.get(url, {"year_group": "Year 7"}).content.decode()
    assert "Sam Signed" in year_7 and "Norma Notyet" not in year_7


def test_the_coordinator_records_a_paper_signature(client):
    agreement = agreement_for()
    dad = UserFactory(roles=[Role.PARENT])
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    client.force_login(coordinator)
    url = reverse("agreements:paper_record", args=[agreement.pk])
    response = client.post(url, {"signer": dad.pk, "child_name": "Eve Roe", "year_group": "Year 7",
                                 "signed_on": timezone.localdate().isoformat()})  # fmt: skip
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.signer, signature.method, signature.recorded_by) == (
        dad, Signature.Method.PAPER, coordinator,
    )  # fmt: skip
    assert AuditLogEntry.objects.filter(user=coordinator, action="change").exists()


def test_the_reminder_button_reminds_and_says_so(client, sent_mail):
    agreement_for(Signers.STAFF)
    UserFactory(roles=[Role.STAFF])
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    client.force_login(coordinator)
    url = reverse("agreements:reminders_send")
    first = client.post(url, follow=True).content.decode()
    assert "Reminders sent to 2 people" in first  # the coordinator is staff too
    again = client.post(url, follow=True).content.decode()
    assert "Nobody to remind" in again
    assert len(sent_mail) == 2


def test_a_new_version_from_the_coordinator_asks_again(client):
    agreement = agreement_for(Signers.STAFF)
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    services.signature_sign(agreement=agreement, actor=coordinator, typed_name="C", agreed=True)
    client.force_login(coordinator)
    client.post(
        reverse("agreements:version_create", args=[agreement.pk]),
        {"version": "9.0", "effective_on": timezone.localdate().isoformat(), "text": "New"},
    )
    mine = client.get(reverse("agreements:mine")).content.decode()
    assert "version 9.0" in mine and "Read and sign" in mine
    again = client.post(
        reverse("agreements:version_create", args=[agreement.pk]),
        {"version": "9.0", "effective_on": timezone.localdate().isoformat(), "text": "Again"},
    )
    assert "already has a version 9.0" in again.content.decode()


def test_parents_read_published_policies_and_the_concern_form_links_to_them(client):
    PolicyFactory(
        title="Complaints Policy",
        version="4.2",
        published_text="Use the **complaints route**.<script>alert(1)</script>",
    )
    hidden = PolicyFactory(title="Internet filtering service review")
    client.force_login(UserFactory(roles=[Role.PARENT]))
    listing = client.get(reverse("reporting:published_list")).content.decode()
    assert "Complaints Policy" in listing and hidden.title not in listing
    published = PolicyFactory._meta.model.objects.get(title="Complaints Policy")
    page = client.get(reverse("reporting:published_detail", args=[published.pk])).content.decode()
    assert "<strong>complaints route</strong>" in page and "<script>alert" not in page
    assert client.get(reverse("reporting:published_detail", args=[hidden.pk])).status_code == 404
    form = client.get(reverse("complaints:concern_create")).content.decode()
    assert reverse("reporting:published_list") in form
