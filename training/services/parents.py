"""Parent accounts: the CSV import, one by one, and their invitations."""

import csv
import io
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from overstone.audit import audit_change
from overstone.notify import notify
from overstone.outbox import outbox_enqueue
from overstone.roles import Role, group_for
from training.models import (
    ParentInvitation,
    ParentProfile,
)
from training.services import TrainingError, absolute_url

logger = logging.getLogger(__name__)
User = get_user_model()


@dataclass
class ParentRow:
    line: int
    first_name: str
    last_name: str
    email: str
    year_group: str


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)


class ParentImportError(TrainingError):
    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__(f"{len(errors)} row(s) could not be imported")


HEADER_ALIASES = {
    "name": "name",
    "full_name": "name",
    "email": "email",
    "e-mail": "email",
    "email_address": "email",
    "year_group": "year_group",
    "child's_year_group": "year_group",
    "childs_year_group": "year_group",
    "child_year_group": "year_group",
    "year": "year_group",
}
REQUIRED_COLUMNS = ("name", "email", "year_group")


def split_name(name: str) -> tuple[str, str]:
    first, _, last = " ".join(name.split()).partition(" ")
    return first, last


def parse_parent_csv(text: str) -> list[ParentRow]:
    """Rows of a parents CSV (name, email, year group); every bad row is reported."""
    reader = csv.reader(io.StringIO(text))
    errors: list[tuple[int, str]] = []
    try:
        header = next(reader)
    except StopIteration:
        raise ParentImportError([(1, "The file is empty.")]) from None
    columns = [HEADER_ALIASES.get(h.strip().lower().replace(" ", "_"), "") for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ParentImportError(
            [(1, f"The header must name the columns name, email, year_group (missing: "
                 f"{', '.join(missing)}).")]
        )  # fmt: skip
    rows: list[ParentRow] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append((number, f"Expected {len(header)} values, found {len(values)}."))
            continue
        record = {col: v.strip() for col, v in zip(columns, values, strict=True) if col}
        reasons = []
        if not record["name"]:
            reasons.append("the name is empty")
        email = record["email"].lower()
        try:
            validate_email(email)
        except ValidationError:
            reasons.append(f"“{record['email']}” is not an e-mail address")
        if not record["year_group"]:
            reasons.append("the child's year group is empty")
        elif len(record["year_group"]) > 30:
            reasons.append("the year group is longer than 30 characters")
        if email in seen:
            reasons.append(f"the same e-mail address is on line {seen[email]}")
        if reasons:
            errors.append((number, "; ".join(reasons).capitalize() + "."))
            continue
        seen[email] = number
        first, last = split_name(record["name"])
        rows.append(ParentRow(number, first, last, email, record["year_group"]))
    if errors:
        raise ParentImportError(errors)
    if not rows:
        raise ParentImportError([(2, "The file has a header but no parents.")])
    return rows


@transaction.atomic
def parents_import(*, csv_text: str, actor) -> ImportResult:
    """All rows or none. A parent already known (same e-mail) is left as they are."""
    rows = parse_parent_csv(csv_text)
    emails = [row.email for row in rows]
    # E-mail addresses are compared without case: J.Smith@ and j.smith@ are one person.
    known = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    existing = {u.email_lower: u for u in known.select_related("parent_profile")}
    existing_profiles = {
        email for email, user in existing.items() if hasattr(user, "parent_profile")
    }
    errors = [
        (row.line, f"{row.email} belongs to an account that is not a parent's.")
        for row in rows
        if row.email in existing and row.email not in existing_profiles
    ]
    if errors:
        raise ParentImportError(errors)
    result = ImportResult()
    for row in rows:
        if row.email in existing:
            result.already_present.append(row.email)
            continue
        result.created.append(
            _parent_create(
                first_name=row.first_name,
                last_name=row.last_name,
                email=row.email,
                year_group=row.year_group,
                actor=actor,
            )
        )
    audit_change(
        actor=actor,
        obj=actor,
        reference="parents import",
        changes={
            "parents imported": [
                "",
                f"{len(result.created)} created, {len(result.already_present)} already present",
            ]
        },
    )
    return result


@transaction.atomic
def parent_create(*, first_name: str, last_name: str, email: str, year_group: str, actor):
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise TrainingError(f"There is already an account with the e-mail address {email}.")
    return _parent_create(
        first_name=first_name, last_name=last_name, email=email, year_group=year_group, actor=actor
    )


def _parent_create(*, first_name, last_name, email, year_group, actor):
    if User.objects.filter(username=email).exists():
        raise TrainingError(f"There is already an account named {email}.")
    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    user.groups.add(group_for(Role.PARENT))
    ParentProfile.objects.create(user=user, child_year_group=year_group, created_by=actor)
    audit_change(actor=actor, obj=user, changes={"parent account": ["", email]})
    parent_invite(user=user, actor=actor)
    return user


@transaction.atomic
def parent_invite(*, user, actor) -> ParentInvitation:
    invitation = ParentInvitation.objects.create(user=user, created_by=actor)
    audit_change(actor=actor, obj=user, changes={"invitation sent to": ["", user.email]})
    outbox_enqueue("training.tasks.send_parent_invitation", invitation.pk)
    return invitation


def set_password_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


@transaction.atomic
def invitation_send(*, invitation_id: int) -> bool:
    """Queue the e-mail with the set-password link, once."""
    invitation = (
        ParentInvitation.objects.select_for_update().select_related("user").get(pk=invitation_id)
    )
    if invitation.sent_at:
        return False
    user = invitation.user
    context = {"user": user, "url": set_password_url(user), "site_url": settings.SITE_URL}
    notify("training/emails/invitation", context, to=[user.email])
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    return True
