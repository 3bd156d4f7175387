"""Writes for agreements: versions, signatures (online and on paper), reminders."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from agreements import selectors
from agreements.models import Agreement, AgreementReminder, AgreementVersion, Signature
from overstone.audit import audit_change
from overstone.notify import email_link, notify
from overstone.workflow import Refused
from pupils.models import name_key

# A person is reminded of what they have not signed at most once in this time.
REMINDER_EVERY = timedelta(days=7)


class AgreementRefused(Refused):
    """A signature or version the rules refuse; the message says why."""


@transaction.atomic
def agreement_create(
    *, title: str, signers: str, purpose: str, version: str, text: str, effective_on: date, actor
) -> Agreement:
    """A new agreement with its first version."""
    agreement = Agreement.objects.create(title=title, signers=signers, purpose=purpose)
    agreement_version_create(
        agreement=agreement, version=version, text=text, effective_on=effective_on, actor=actor
    )
    return agreement


@transaction.atomic
def agreement_version_create(
    *, agreement: Agreement, version: str, text: str, effective_on: date, actor
) -> AgreementVersion:
    """A new version: from its effective date everyone is asked to sign again."""
    if agreement.versions.filter(version=version).exists():
        raise AgreementRefused(f"{agreement.title} already has a version {version}.")
    new = AgreementVersion.objects.create(
        agreement=agreement, version=version, text=text, effective_on=effective_on, created_by=actor
    )
    audit_change(
        actor=actor,
        obj=agreement,
        changes={"version": ["", f"{version}, effective {effective_on:%d %B %Y}"]},
    )
    return new


def _signable_version(*, agreement: Agreement, signer) -> AgreementVersion:
    if not selectors.signs(user=signer, agreement=agreement):
        raise AgreementRefused(f"{agreement.title} is not one {signer} is asked to sign.")
    version = selectors.current_version(agreement=agreement)
    if version is None:
        raise AgreementRefused(f"{agreement.title} has no version in effect yet.")
    return version


def _signature_save(
    *, version: AgreementVersion, signer, child_name: str, child_key: str = "", **fields
) -> Signature:
    """Save one signature, refusing a second for the same child (or person). A child of a
    parent with children on the pupil records must be one of them (named by pupil number,
    or by name as on a paper form), and is then signed for once, by either parent."""
    child_name = " ".join(child_name.split())
    per_child = version.agreement.per_child
    if per_child and not (child_name or child_key):
        raise AgreementRefused("Name the child you are signing for.")
    if not per_child and (child_name or child_key):
        raise AgreementRefused(f"{version.agreement.title} is signed for yourself, not a child.")
    on_record = selectors.children_of(parent=signer) if per_child else []
    if any(child.key for child in on_record):
        child = next(
            (
                c
                for c in on_record
                if (child_key and c.key == child_key)
                or (not child_key and name_key(c.name) == name_key(child_name))
            ),
            None,
        )
        if child is None:
            names = ", ".join(c.name for c in on_record)
            raise AgreementRefused(
                f"{signer} signs for their children on the school's records: {names}."
            )
        child_name, child_key = child.name, child.key
        fields.update(year_group=child.year_group, form=child.form)
        already = version.signatures.filter(child_key=child_key).first()
    elif child_key:
        raise AgreementRefused(f"{signer} has no child with pupil number {child_key}.")
    else:
        already = version.signatures.filter(signer=signer, child_name__iexact=child_name).first()
    child = f" for {already.child_name if already else child_name}" if child_name else ""
    refusal = AgreementRefused(f"{version} is already signed{child}.")
    if already:
        raise refusal
    try:
        with transaction.atomic():
            return Signature.objects.create(
                version=version, signer=signer, child_name=child_name, child_key=child_key,
                **fields,
            )  # fmt: skip
    except IntegrityError:  # the same form sent twice at once
        raise refusal from None


@transaction.atomic
def signature_sign(
    *,
    agreement: Agreement,
    actor,
    typed_name: str,
    agreed: bool,
    child_name: str = "",
    year_group: str = "",
    form: str = "",
    child_key: str = "",
) -> Signature:
    """The person signs the current version online: for a child when the agreement is
    signed per child. The time and the version are recorded with the typed name."""
    if not agreed or not typed_name.strip():
        raise AgreementRefused("Type your name and tick the box to sign.")
    version = _signable_version(agreement=agreement, signer=actor)
    return _signature_save(
        version=version,
        signer=actor,
        child_name=child_name,
        child_key=child_key.strip(),
        year_group=year_group.strip(),
        form=form.strip(),
        typed_name=" ".join(typed_name.split()),
        signed_at=timezone.now(),
        method=Signature.Method.ONLINE,
    )


@transaction.atomic
def signature_record_paper(
    *,
    agreement: Agreement,
    signer,
    signed_on: date,
    actor,
    child_name: str = "",
    year_group: str = "",
    form: str = "",
    note: str = "",
) -> Signature:
    """The coordinator records a signature given on paper (audited)."""
    if signed_on > timezone.localdate():
        raise AgreementRefused("A paper signature cannot be dated in the future.")
    version = _signable_version(agreement=agreement, signer=signer)
    signature = _signature_save(
        version=version,
        signer=signer,
        child_name=child_name,
        year_group=year_group.strip(),
        form=form.strip(),
        typed_name=signer.get_full_name() or signer.get_username(),
        signed_at=timezone.make_aware(datetime.combine(signed_on, time(12))),
        method=Signature.Method.PAPER,
        recorded_by=actor,
        note=note.strip(),
    )
    child = f" for {signature.child_name}" if signature.child_name else ""
    audit_change(
        actor=actor,
        obj=signature,
        reference=str(version),
        changes={"paper signature": ["", f"{signer}{child}, signed on {signed_on:%d %B %Y}"]},
    )
    return signature


@transaction.atomic
def agreement_reminders_send(*, actor, now: datetime | None = None) -> int:
    """Remind everyone with something left to sign, unless they were reminded in the
    last week; return how many were reminded. One e-mail each, listing what is left."""
    now = now or timezone.now()
    waiting = selectors.unsigned_by_person(today=timezone.localdate(now))
    # Locked so that two coordinators pressing the button at once remind each person once.
    people = get_user_model().objects.select_for_update().filter(pk__in=waiting).order_by("pk")
    recently = set(
        AgreementReminder.objects.filter(
            person_id__in=waiting, sent_at__gt=now - REMINDER_EVERY
        ).values_list("person_id", flat=True)
    )
    url = email_link(reverse("agreements:mine"))
    sent = 0
    for person in people:
        if person.pk in recently:
            continue
        email = notify(
            "agreements/emails/reminder",
            {"person": person, "agreements": waiting[person.pk], "url": url},
            to=[person],
        )
        if email is None:  # no address: nothing was sent, so nothing to hold back
            continue
        AgreementReminder.objects.create(person=person, sent_at=now, sent_by=actor)
        sent += 1
    return sent
