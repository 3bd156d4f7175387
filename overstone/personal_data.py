"""Personal data, declared by the app that holds it.

Data protection needs every app's records: which are kept how long after they finish and
anonymised how (retention), and which mention a person (subject access). Each app
declares its own in ``<app>/personal_data.py``, found at start-up the way the admin finds
``admin.py``. So privacy/ never names another app's models or fields, and each app
applies its own visibility rule (its selectors): a record a user may not open on its own
page is not listed, held, anonymised or searched for them through data protection either
(a complaint about the principal is the chair of governors', never the principal's).

A field that can hold a person is searched by a subject-access source or declared
``NotPersonal`` with the reason; ``overstone/tests/test_personal_data.py`` walks every
model to keep it so. Example, ``incidents/personal_data.py`` (shortened)::

    from django.db.models import F

    from incidents.models import Incident
    from incidents.selectors import incident_list
    from incidents.services import incident_anonymise
    from overstone.personal_data import Mention, RecordKind, SubjectAccessSource, register

    register(
        RecordKind(
            name="incident",  # stored on legal holds and anonymisations
            label="e-Safety incident",
            model=Incident,
            records=lambda user: incident_list(user=user),
            finished=lambda incidents: incidents.filter(status=Incident.Status.CLOSED)
            .annotate(finished=F("closed_at")),
            anonymise=lambda incident, actor: incident_anonymise(incident=incident, actor=actor),
            retention_key="incident",  # in settings.OVERSTONE_RETENTION_YEARS
            url_name="incidents:detail",
            finished_label="e-Safety incidents, after they are closed,",
        ),
        SubjectAccessSource(
            label="e-Safety incident",
            model=Incident,
            records=lambda user: incident_list(user=user),
            text_fields=("description", "pupils__name"),
            account_fields=("reported_by", "staff_involved"),
            date_field="occurred_at",
            describe=lambda incident: Mention(...),
        ),
    )
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from overstone.models import AuditLogEntry


def nothing_withheld(user) -> str:
    return ""


@dataclass(frozen=True)
class RecordKind:
    """Records the retention policy covers: kept ``retention_key`` years after they
    finish, then anonymised by the owning app's own service once the principal approves."""

    name: str
    label: str
    model: type[Model]
    records: Callable[[Any], QuerySet]  # (user): the ones this user may open
    finished: Callable[[QuerySet], QuerySet]  # narrowed to finished, annotated ``finished``
    anonymise: Callable[[Any, Any], Any]  # (record, actor), the owning app's service
    retention_key: str
    url_name: str  # the record's page, reversed with its reference
    finished_label: str  # "e-Safety incidents, after they are closed,"
    # (user): why some records are not shown to this user ("" when none are withheld).
    withheld: Callable[[Any], str] = field(default=nothing_withheld)

    @property
    def retention_years(self) -> int:
        return settings.OVERSTONE_RETENTION_YEARS[self.retention_key]

    def url(self, reference: str) -> str:
        return reverse(self.url_name, args=[reference])

    def finished_for(self, user) -> QuerySet:
        """The finished records this user may see, each annotated with ``finished``."""
        return self.finished(self.records(user))


@dataclass(frozen=True)
class Mention:
    """One record that mentions a person, as a subject-access request lists it."""

    source: str
    reference: str
    on: date | datetime
    summary: str
    url: str


@dataclass(frozen=True)
class SubjectAccessSource:
    """Where a person may be mentioned: text searched for their names, links to their
    account, and how one of its records reads on the request's page and export."""

    label: str
    model: type[Model]
    records: Callable[[Any], QuerySet]  # (user): the ones this user may open
    text_fields: tuple[str, ...]
    account_fields: tuple[str, ...]
    date_field: str
    describe: Callable[[Any], Mention]
    withheld: Callable[[Any], str] = field(default=nothing_withheld)

    def find(self, *, terms: list[str], account, user) -> QuerySet:
        """The records this user may see that name one of the terms or link to the
        account, oldest first."""
        condition = Q(pk__in=[])
        for term in terms:
            for name in self.text_fields:
                condition |= Q(**{f"{name}__icontains": term})
        if account is not None:
            for name in self.account_fields:
                condition |= Q(**{name: account})
        records = self.records(user)
        ids = records.filter(condition).values("pk")
        return records.filter(pk__in=ids).order_by(self.date_field, "pk")


@dataclass(frozen=True)
class NotPersonal:
    """Fields that look as if they could hold a person but are not searched for subject
    access, and why (``"app_label.Model"``, field names, the reason)."""

    model: str
    fields: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class AttachedToRecord:
    """Records that hang on another by its reference (referrals and tasks on a case) and
    go with it: ``anonymise(reference, actor)`` runs when that record is anonymised."""

    label: str
    anonymise: Callable[[str, Any], Any]


@dataclass
class Registry:
    kinds: dict[str, RecordKind] = field(default_factory=dict)
    sources: list[SubjectAccessSource] = field(default_factory=list)
    not_personal: list[NotPersonal] = field(default_factory=list)
    attached: list[AttachedToRecord] = field(default_factory=list)


registry = Registry()


def register(
    *declarations: RecordKind | SubjectAccessSource | NotPersonal | AttachedToRecord,
) -> None:
    for declaration in declarations:
        if isinstance(declaration, RecordKind):
            if declaration.name in registry.kinds:
                raise ValueError(f"Record kind {declaration.name!r} is declared twice.")
            registry.kinds[declaration.name] = declaration
        elif isinstance(declaration, SubjectAccessSource):
            registry.sources.append(declaration)
        elif isinstance(declaration, AttachedToRecord):
            registry.attached.append(declaration)
        else:
            registry.not_personal.append(declaration)


def autodiscover() -> None:
    """Import every installed app's ``personal_data`` module (OverstoneConfig.ready)."""
    autodiscover_modules("personal_data")


def record_kinds() -> list[RecordKind]:
    return list(registry.kinds.values())


def record_kind(name: str) -> RecordKind | None:
    return registry.kinds.get(name)


def record_kind_of(record: Model) -> RecordKind:
    return next(kind for kind in registry.kinds.values() if isinstance(record, kind.model))


def attached_anonymise(*, reference: str, actor) -> None:
    """Anonymise what hangs on the record ``reference`` (``AttachedToRecord``), in the
    caller's transaction: privacy calls it with the record's own anonymisation."""
    for attached in registry.attached:
        attached.anonymise(reference, actor)


def subject_access_sources() -> list[SubjectAccessSource]:
    return list(registry.sources)


def withheld_notes(user, declarations) -> list[str]:
    """What the declarations leave out for this user, each reason once."""
    return list(dict.fromkeys(note for d in declarations if (note := d.withheld(user))))


def _describe_change(entry) -> Mention:
    changes = "; ".join(f"{name}: {old} → {new}" for name, (old, new) in entry.changes.items())
    return Mention("Audit log", f"{entry.object_type} {entry.object_reference}", entry.at,
                   changes, "")  # fmt: skip


register(
    SubjectAccessSource(
        label="Audit log",
        model=AuditLogEntry,
        # Changes made to records that keep no history of their own (e.g. training's).
        records=lambda user: AuditLogEntry.objects.filter(action=AuditLogEntry.Action.CHANGE),
        text_fields=("changes",),
        account_fields=(),
        date_field="at",
        describe=_describe_change,
    ),
    NotPersonal(
        "overstone.AuditLogEntry",
        ("user", "username"),
        "The audit log of who looked at and changed what, kept for accountability; the "
        "principal reads it on the audit-log page.",
    ),
    NotPersonal(
        "overstone.OutboxMessage",
        ("task_name", "last_error"),
        "Work queued for the background worker: a task's name, record ids and last error.",
    ),
    NotPersonal(
        "overstone.ImportJob",
        ("requested_by",),
        "Who started an import: the uploaded file is emptied when the job ends, its row "
        "problems after OVERSTONE_IMPORT_ERRORS_RETENTION_DAYS, and the accounts and "
        "incidents it made are searched in their own apps.",
    ),
    NotPersonal(
        "overstone.RecordLink",
        ("linked_by",),
        "Who linked an incident to a complaint about the same post: two references, the "
        "school's record of its staff at work (each record is searched in its own app).",
    ),
    NotPersonal(
        "overstone.Email",
        ("subject", "body", "last_error"),
        "The mail queue (overstone.notify): a body is blanked once it is sent, and what "
        "stays (address, subject, when) is the record that the school's e-mail went out, "
        "deleted after OVERSTONE_EMAIL_RETENTION_DAYS; subjects carry references and "
        "titles, not pupils' names.",
    ),
    NotPersonal(
        "overstone.Membership",
        ("user",),
        "The roles a person holds at each school: their account, which subject access "
        "already describes.",
    ),
    NotPersonal("overstone.School", ("name",), "A school's name, not a person's."),
    NotPersonal("overstone.Trust", ("name",), "The trust's name, not a person's."),
)
