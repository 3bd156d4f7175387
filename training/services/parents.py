"""Parent accounts: the CSV import, one by one, and their invitations."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from overstone.audit import audit_change, audit_change_many
from overstone.imports import (
    Progress,
    RowProblems,
    csv_table,
    import_job_run,
    import_job_start,
    quoted,
    sentence,
)
from overstone.models import ImportJob, Membership
from overstone.notify import notify
from overstone.outbox import outbox_enqueue
from overstone.roles import Role
from overstone.schools import membership_add, school_id_or_default, users_with_roles
from training.models import (
    ParentInvitation,
    ParentProfile,
)
from training.services import TrainingError

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
    joined: list[str] = field(default_factory=list)  # parents of another school, now here too
    already_present: list[str] = field(default_factory=list)


class ParentImportError(RowProblems, TrainingError):
    """Rows of a parents CSV that cannot be imported; nothing was."""


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
NAME_LENGTH = 150  # first and last name each, as the account stores them
EMAIL_LENGTH = 150  # the e-mail address is also the username
BATCH = 1000  # rows a query names at once (SQLite takes at most 32,766 parameters)
INVITATIONS_PER_TASK = 200


def split_name(name: str) -> tuple[str, str]:
    first, _, last = " ".join(name.split()).partition(" ")
    return first, last


def _batches(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _row_problems(record: dict[str, str], seen: dict[str, int]) -> list[str]:
    reasons = []
    first, last = split_name(record["name"])
    if not record["name"]:
        reasons.append("the name is empty")
    elif len(first) > NAME_LENGTH or len(last) > NAME_LENGTH:
        reasons.append(f"the first or last name is longer than {NAME_LENGTH} characters")
    email = record["email"].lower()
    try:
        validate_email(email)
    except ValidationError:
        reasons.append(f"{quoted(record['email'])} is not an e-mail address")
    else:
        if len(email) > EMAIL_LENGTH:
            reasons.append(f"the e-mail address is longer than {EMAIL_LENGTH} characters")
    if not record["year_group"]:
        reasons.append("the child's year group is empty")
    elif len(record["year_group"]) > 30:
        reasons.append("the year group is longer than 30 characters")
    if email in seen:
        reasons.append(f"the same e-mail address is on line {seen[email]}")
    return reasons


def parse_parent_csv(text: str, progress: Progress | None = None) -> list[ParentRow]:
    """Rows of a parents CSV (name, email, year group); every bad row is reported."""
    errors: list[tuple[int, str]] = []
    rows: list[ParentRow] = []
    seen: dict[str, int] = {}
    table = csv_table(
        text,
        aliases=HEADER_ALIASES,
        required=REQUIRED_COLUMNS,
        names="name, email, year_group",
        errors=errors,
        progress=progress,
    )
    for number, record in table:
        reasons = _row_problems(record, seen)
        if reasons:
            errors.append((number, sentence("; ".join(reasons))))
            continue
        email = record["email"].lower()
        seen[email] = number
        first, last = split_name(record["name"])
        rows.append(ParentRow(number, first, last, email, record["year_group"]))
    if errors:
        raise ParentImportError(errors)
    if not rows:
        raise ParentImportError([(2, "The file has a header but no parents.")])
    return rows


def parents_import(*, csv_text: str, actor, progress: Progress | None = None) -> ImportResult:
    """All rows or none. A parent already known (same e-mail) is left as they are.

    Checked row by row, then saved in bulk (a few queries a thousand rows), so that
    50,000 rows import in seconds.
    """
    rows = parse_parent_csv(csv_text, progress)
    if progress:
        progress(rows[-1].line, f"Saving {len(rows):,} parents")
    return _parents_save(rows=rows, actor=actor)


def _parents_elsewhere(accounts) -> set[str]:
    """Of these accounts (annotated ``email_lower``), those that are a parent at some
    school: a parent of children at two schools has one account."""
    parents = Membership.objects.filter(role=Role.PARENT).values("user")
    return set(accounts.filter(pk__in=parents).values_list("email_lower", flat=True))


@transaction.atomic
def _parents_save(*, rows: list[ParentRow], actor) -> ImportResult:
    emails = [row.email for row in rows]
    # E-mail addresses are compared without case: J.Smith@ and j.smith@ are one person.
    known, here, elsewhere, usernames = {}, set(), set(), set()
    for batch in _batches(emails):
        accounts = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=batch)
        known.update(accounts.values_list("email_lower", "pk"))
        here.update(
            ParentProfile.objects.annotate(email_lower=Lower("user__email"))
            .filter(email_lower__in=batch)
            .values_list("email_lower", flat=True)
        )
        elsewhere |= _parents_elsewhere(accounts)
        usernames.update(
            User.objects.annotate(name_lower=Lower("username"))
            .filter(name_lower__in=batch)
            .values_list("name_lower", flat=True)
        )
    errors = [
        (row.line, f"{row.email} belongs to an account that is not a parent's.")
        for row in rows
        if row.email in known and row.email not in here and row.email not in elsewhere
    ] + [
        (row.line, f"There is already an account named {row.email}.")
        for row in rows
        if row.email in usernames and row.email not in known
    ]
    if errors:
        raise ParentImportError(sorted(errors))
    result = ImportResult(already_present=[row.email for row in rows if row.email in here])
    joining = [row for row in rows if row.email in known and row.email not in here]
    result.joined = [row.email for row in joining]
    new_rows = [row for row in rows if row.email not in known]
    users = User.objects.bulk_create(
        [
            User(
                username=row.email,
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                password=make_password(None),
            )
            for row in new_rows
        ],
        batch_size=BATCH,
    )
    actor_id = getattr(actor, "pk", None)
    school_id = school_id_or_default()
    parents = [(user.pk, row) for user, row in zip(users, new_rows, strict=True)]
    parents += [(known[row.email], row) for row in joining]
    # A parent of another school may hold the role here already (given by hand).
    Membership.objects.bulk_create(
        [Membership(user_id=pk, school_id=school_id, role=Role.PARENT) for pk, _ in parents],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    ParentProfile.objects.bulk_create(
        [
            ParentProfile(user_id=pk, child_year_group=row.year_group, created_by_id=actor_id)
            for pk, row in parents
        ],
        batch_size=BATCH,
    )
    # Only new accounts are invited: a parent of another school already has a password.
    invitations = ParentInvitation.objects.bulk_create(
        [ParentInvitation(user_id=user.pk, created_by_id=actor_id) for user in users],
        batch_size=BATCH,
    )
    joined_users = User.objects.filter(pk__in=[known[row.email] for row in joining])
    audit_change_many(
        actor=actor,
        changes=[
            (user, {"parent account": ["", user.email], "invitation sent to": ["", user.email]})
            for user in users
        ]
        + [(user, {"parent at this school": ["", user.email]}) for user in joined_users],
    )
    for batch in _batches([invitation.pk for invitation in invitations], INVITATIONS_PER_TASK):
        outbox_enqueue("training.tasks.send_parent_invitations", batch)
    result.created = users
    audit_change(
        actor=actor,
        obj=actor,
        reference="parents import",
        changes={
            "parents imported": [
                "",
                f"{len(result.created)} created, {len(result.joined)} parents of another "
                f"school added, {len(result.already_present)} already present",
            ]
        },
    )
    return result


def parents_ensure(*, rows: list, actor) -> dict:
    """The parent account of each row's e-mail address, for the pupil import
    (``pupils.parents``): new parents are created and invited as the parents import does
    them, parents of another school become parents here too, known parents are left as
    they are. Rows have the fields of ``ParentRow``.

    An account in the parent role without a training profile (made before the pupil
    import, by the demo say) gets one here, so that every linked parent is on the parents
    list and can book."""
    _parent_profiles_ensure(rows=rows, actor=actor)
    _parents_save(rows=rows, actor=actor)
    accounts = {}
    for batch in _batches([row.email for row in rows]):
        users = User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=batch)
        accounts.update((user.email_lower, user) for user in users)
    return accounts


def _parent_profiles_ensure(*, rows: list, actor) -> None:
    year_groups = {}
    for row in rows:
        year_groups.setdefault(row.email, row.year_group)
    missing = []
    for batch in _batches(list(year_groups)):
        missing += (
            User.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=batch, pk__in=users_with_roles([Role.PARENT]).values("pk"))
            .exclude(pk__in=ParentProfile.objects.values("user"))
        )
    ParentProfile.objects.bulk_create(
        [
            ParentProfile(
                user=user, child_year_group=year_groups[user.email_lower], created_by=actor
            )
            for user in {user.pk: user for user in missing}.values()
        ]
    )


def parents_import_job_run(*, job_id: int) -> ImportJob | None:
    """The queued import of a parents CSV (see overstone.imports)."""

    def work(*, text: str, actor, progress: Progress) -> dict:
        result = parents_import(csv_text=text, actor=actor, progress=progress)
        return {
            "created": len(result.created),
            "joined": len(result.joined),
            "already_present": len(result.already_present),
        }

    return import_job_run(job_id=job_id, work=work)


def parents_import_start(*, csv_text: str, actor) -> tuple[ImportJob, bool]:
    """Queue the import of a parents CSV; see overstone.imports.import_job_start."""
    return import_job_start(
        kind=ImportJob.Kind.PARENTS,
        text=csv_text,
        actor=actor,
        task="training.tasks.import_parents",
    )


@transaction.atomic
def parent_create(
    *, first_name: str, last_name: str, email: str, year_group: str, actor
) -> tuple[User, bool]:
    """A new parent account, invited; or, for a parent of another school, their account
    made a parent's at this school too (they have a password already: no invitation).
    Returns the account, and whether it was a parent of another school."""
    email = email.strip().lower()
    accounts = User.objects.annotate(email_lower=Lower("email")).filter(email_lower=email)
    account = accounts.order_by("pk").first()
    if account is None:
        user = _parent_create(
            first_name=first_name,
            last_name=last_name,
            email=email,
            year_group=year_group,
            actor=actor,
        )
        return user, False
    if ParentProfile.objects.filter(user=account).exists() or not _parents_elsewhere(accounts):
        raise TrainingError(f"There is already an account with the e-mail address {email}.")
    membership_add(account, Role.PARENT)
    ParentProfile.objects.create(user=account, child_year_group=year_group, created_by=actor)
    audit_change(actor=actor, obj=account, changes={"parent at this school": ["", email]})
    return account, True


def _parent_create(*, first_name, last_name, email, year_group, actor):
    if User.objects.filter(username=email).exists():
        raise TrainingError(f"There is already an account named {email}.")
    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    membership_add(user, Role.PARENT)
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
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL + path


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
