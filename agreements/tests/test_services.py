import datetime as dt

import pytest
from django.utils import timezone

from agreements import selectors, services
from agreements.models import Signature, Signers
from agreements.services import AgreementRefused
from agreements.tests.factories import VersionFactory, agreement_for
from overstone.models import AuditLogEntry, Email
from overstone.roles import Role
from overstone.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def parent(**fields):
    return UserFactory(roles=[Role.PARENT], **fields)


def sign(agreement, person, child_name="", year_group="", **fields):
    return services.signature_sign(
        agreement=agreement,
        actor=person,
        typed_name=person.get_full_name(),
        agreed=True,
        child_name=child_name,
        year_group=year_group,
        **fields,
    )


def rows_for(agreement):
    version = selectors.current_version(agreement=agreement)
    return selectors.register_rows(version=version)


def test_a_signature_records_the_version_the_typed_name_and_the_time():
    agreement = agreement_for()
    mum = parent(first_name="Ann", last_name="Lee")
    before = timezone.now()
    signature = sign(agreement, mum, "Amy Lee", "Year 8", form="8B")
    assert signature.version == agreement.versions.get()
    assert signature.typed_name == "Ann Lee"
    assert signature.method == Signature.Method.ONLINE
    assert before <= signature.signed_at <= timezone.now()
    assert (signature.child_name, signature.year_group, signature.form) == (
        "Amy Lee",
        "Year 8",
        "8B",
    )


def test_a_new_version_asks_again_and_the_old_signature_stays_with_its_version():
    agreement = agreement_for()
    mum = parent()
    first = sign(agreement, mum, "Amy Lee", "Year 8")
    with pytest.raises(AgreementRefused, match="already signed for Amy Lee"):
        sign(agreement, mum, "amy lee", "Year 8")  # the same child, however typed

    coordinator = UserFactory(roles=[Role.COORDINATOR])
    services.agreement_version_create(
        agreement=agreement, version="2.0", text="New wording", effective_on=timezone.localdate(),
        actor=coordinator,
    )  # fmt: skip
    [row] = rows_for(agreement)
    assert row.child.name == "Amy Lee" and row.signature is None  # asked again, for Amy
    second = sign(agreement, mum, "Amy Lee", "Year 8")
    assert second.version.version == "2.0"
    first.refresh_from_db()
    assert first.version.version != "2.0"
    assert rows_for(agreement)[0].signature == second


def test_a_version_is_asked_from_its_effective_date_not_before():
    agreement = agreement_for()
    first = agreement.versions.get()
    today = timezone.localdate()
    VersionFactory(agreement=agreement, version="2.0", effective_on=today + dt.timedelta(days=1))
    assert selectors.current_version(agreement=agreement, today=today) == first
    tomorrow = selectors.current_version(agreement=agreement, today=today + dt.timedelta(days=1))
    assert tomorrow.version == "2.0"


def test_a_parent_signs_once_for_each_child():
    agreement = agreement_for()
    mum = parent()
    sign(agreement, mum, "Amy Lee", "Year 8")
    sign(agreement, mum, "Ben Lee", "Year 11")
    rows = rows_for(agreement)
    assert [(row.child.name, row.signature is not None) for row in rows] == [
        ("Amy Lee", True),
        ("Ben Lee", True),
    ]
    with pytest.raises(AgreementRefused, match="Name the child"):
        sign(agreement, mum, "  ", "Year 8")


def test_children_named_on_one_agreement_are_asked_for_on_the_others():
    home_school, internet = agreement_for(), agreement_for()
    mum = parent()
    sign(home_school, mum, "Amy Lee", "Year 8")
    sign(home_school, mum, "Ben Lee", "Year 11")
    sign(internet, mum, "Amy Lee", "Year 8")
    rows = rows_for(internet)
    assert [(row.child.name, row.signature is not None) for row in rows] == [
        ("Amy Lee", True),
        ("Ben Lee", False),
    ]


def test_only_those_asked_may_sign_and_staff_and_governors_sign_for_themselves():
    parents_agreement = agreement_for()
    staff_agreement = agreement_for(Signers.STAFF)
    governors_agreement = agreement_for(Signers.GOVERNORS)
    teacher = UserFactory(roles=[Role.STAFF])
    governor = UserFactory(roles=[Role.GOVERNOR])
    with pytest.raises(AgreementRefused, match="not one"):
        sign(parents_agreement, teacher, "Amy Lee", "Year 8")
    with pytest.raises(AgreementRefused, match="not one"):
        sign(staff_agreement, governor)
    with pytest.raises(AgreementRefused, match="for yourself"):
        sign(staff_agreement, teacher, "Amy Lee")
    assert sign(staff_agreement, teacher).signer == teacher
    assert sign(governors_agreement, governor).signer == governor
    with pytest.raises(AgreementRefused, match="already signed"):
        sign(governors_agreement, governor)


def test_signing_needs_the_tick_and_a_typed_name():
    agreement = agreement_for(Signers.STAFF)
    teacher = UserFactory(roles=[Role.STAFF])
    for typed_name, agreed in [("Jo Smith", False), ("  ", True)]:
        with pytest.raises(AgreementRefused, match="tick the box"):
            services.signature_sign(
                agreement=agreement, actor=teacher, typed_name=typed_name, agreed=agreed
            )
    assert not Signature.objects.exists()


def test_the_register_counts_per_year_group_and_form():
    agreement = agreement_for()
    for name, year, form in [
        ("Amy", "Year 8", "8B"), ("Ben", "Year 8", "8B"), ("Cal", "Year 8", "8C"),
        ("Dee", "Year 10", ""),
    ]:  # fmt: skip
        sign(agreement, parent(), name, year, form=form)
    # Everyone named a child on the first version; Ben's parent has not signed the second.
    VersionFactory(agreement=agreement, version="2.0", effective_on=timezone.localdate())
    for signature in Signature.objects.exclude(child_name="Ben"):
        sign(agreement, signature.signer, signature.child_name, signature.year_group,
             form=signature.form)  # fmt: skip
    parent()  # a parent who has named no child yet
    counts = selectors.register_counts(rows_for(agreement))
    assert [(c.year_group, c.form, c.signed, c.total) for c in counts] == [
        ("Year 8", "8B", 1, 2),
        ("Year 8", "8C", 1, 1),
        ("Year 10", "", 1, 1),
        ("", "", 0, 1),
    ]
    years = selectors.year_group_counts(counts)
    assert [(c.year_group, c.signed, c.total) for c in years] == [
        ("Year 8", 2, 3), ("Year 10", 1, 1), ("", 0, 1),
    ]  # fmt: skip


def test_a_paper_signature_is_recorded_and_audited():
    agreement = agreement_for()
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    dad = parent(first_name="Dan", last_name="Roe")
    signed_on = timezone.localdate() - dt.timedelta(days=3)
    signature = services.signature_record_paper(
        agreement=agreement, signer=dad, signed_on=signed_on, actor=coordinator,
        child_name="Eve Roe", year_group="Year 7", note="Filed in the office",
    )  # fmt: skip
    assert signature.method == Signature.Method.PAPER
    assert signature.recorded_by == coordinator
    assert timezone.localdate(signature.signed_at) == signed_on
    entry = AuditLogEntry.objects.get(action=AuditLogEntry.Action.CHANGE, user=coordinator)
    assert "Eve Roe" in entry.changes["paper signature"][1]
    assert rows_for(agreement)[0].signature == signature
    with pytest.raises(AgreementRefused, match="future"):
        services.signature_record_paper(
            agreement=agreement, signer=dad, actor=coordinator, child_name="Fay Roe",
            year_group="Year 7", signed_on=timezone.localdate() + dt.timedelta(days=1),
        )  # fmt: skip


def test_reminders_go_at_most_once_a_week_to_those_who_have_not_signed(sent_mail):
    agreement = agreement_for(Signers.STAFF, agreement__title="Responsible Internet Use")
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    waiting = UserFactory(roles=[Role.STAFF], email="waiting@overstone.example")
    done = UserFactory(roles=[Role.STAFF])
    sign(agreement, done)
    sign(agreement, coordinator)
    now = timezone.now()

    def remind(at):
        return services.agreement_reminders_send(actor=coordinator, now=at)

    assert remind(now) == 1
    [email] = sent_mail
    assert email.to == ["waiting@overstone.example"]
    assert "Responsible Internet Use" in email.subject
    assert remind(now + dt.timedelta(days=7) - dt.timedelta(seconds=1)) == 0
    assert remind(now + dt.timedelta(days=7)) == 1
    assert Email.objects.count() == 2
    assert remind(now + dt.timedelta(days=8)) == 0
    sign(agreement, waiting)
    assert remind(now + dt.timedelta(days=30)) == 0


def test_a_parent_who_has_named_no_child_is_reminded_too(sent_mail):
    agreement_for(agreement__title="Internet access consent")
    mum = parent()
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    assert services.agreement_reminders_send(actor=coordinator) == 1
    assert sent_mail[0].to == [mum.email]
    assert "once for each of your children" in sent_mail[0].body


def test_nobody_without_an_address_counts_as_reminded():
    agreement_for(Signers.GOVERNORS)
    UserFactory(roles=[Role.GOVERNOR], email="")
    coordinator = UserFactory(roles=[Role.COORDINATOR])
    assert services.agreement_reminders_send(actor=coordinator) == 0
