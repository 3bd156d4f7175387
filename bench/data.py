"""Benchmark data, written with bulk inserts: COPY on PostgreSQL, executemany elsewhere.

Rows are built as tuples in column order, ids assigned here (after the table's current
maximum) so foreign keys need no read-back, and each table's sequence is reset at the
end. Only the smoke test runs this on SQLite, at a tiny size.
"""

import json
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import FieldDoesNotExist
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from complaints.models import ComplaintEvent, OnlineComplaint, Platform, Stage
from complaints.models import Evidence as ComplaintEvidence
from incidents.models import (
    Evidence,
    FilteringCategory,
    Incident,
    Location,
    PupilInvolved,
    Severity,
)
from overstone.models import Membership, MonitoredCategory, School, Trust
from overstone.roles import TRUST_ROLES, Role
from overstone.schools import (
    default_school,
    school_id_or_default,
    school_scope,
    users_with_roles,
)
from overstone.schoolyear import school_year_of
from pupils.models import Pupil, YearGroup
from training.models import (
    Audience,
    AwarenessTopic,
    Booking,
    BookingStatus,
    ParentProfile,
    SessionStatus,
    TrainingSession,
)

User = get_user_model()
PASSWORD = "bench-password-not-secret"
BATCH = 20_000
INCIDENT_CATEGORIES = [*FilteringCategory.values, *MonitoredCategory.values]
# The policy's escalation path, and the longer way when a parents' meeting does not settle it.
MAIN_PATH = [
    Stage.REPORTED,
    Stage.STAFF_SUPPORTED,
    Stage.EVIDENCE_GATHERED,
    Stage.PARENTS_MEETING,
    Stage.REMOVAL_REQUESTED,
    Stage.RESOLVED,
]
LONG_PATH = [
    *MAIN_PATH[:-1],
    Stage.LEGAL_WARNING_GIVEN,
    Stage.GOVERNORS_MEETING,
    Stage.WAY_FORWARD,
    Stage.LEGAL_ADVICE,
    Stage.CLOSED,
]


@dataclass(frozen=True)
class Sizes:
    users: int = 2_000
    incidents: int = 100_000
    evidence_every: int = 3  # one incident in three has an evidence file
    complaints: int = 20_000
    sessions: int = 2_000
    bookings: int = 60_000
    school_years: int = 5
    # Parents who book during the load, each with no booking yet on upcoming sessions.
    bench_parents: int = 8
    pupils: int = 2_000
    # The pupil with many incidents (BENCH_PUPIL) is named on one incident in this many,
    # besides their share of the others (about 140 incidents at 100,000).
    bench_pupil_every: int = 1_000


TINY = Sizes(
    users=40, incidents=60, complaints=20, sessions=12, bookings=60, bench_parents=2, pupils=10,
    bench_pupil_every=5,
)  # fmt: skip
BENCH_PUPIL = "P000001"
FIRST_NAMES = ["Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Leo", "Freya",
               "Arthur", "Lily", "Oscar", "Grace", "Harry", "Sophie", "Jack", "Ella", "Theo",
               "Ruby", "Alfie"]  # fmt: skip
LAST_NAMES = ["Clarke", "Patel", "Jones", "Khan", "Smith", "Taylor", "Brown", "Wilson",
              "Evans", "Thomas", "Roberts", "Walker", "Wright", "Hughes", "Green", "Hall",
              "Wood", "Ali", "Hussain", "Edwards"]  # fmt: skip


# ---------------------------------------------------------------------------
# Bulk writing
# ---------------------------------------------------------------------------
def next_id(model: type[models.Model]) -> int:
    """After the table's largest id, every school's rows included."""
    return (model._base_manager.aggregate(m=Max("pk"))["m"] or 0) + 1


def _school_column(model: type[models.Model], columns: list[str], rows: Iterable[tuple]):
    """A record kept per school gets ``school_id`` when the rows do not say it: the
    school in scope, or the only one (what ``SchoolField`` gives a record created now)."""
    try:
        field = model._meta.get_field("school")
    except FieldDoesNotExist:
        return columns, rows
    if field.attname in columns or field.name in columns or not field.concrete:
        return columns, rows
    school_id = school_id_or_default()
    return [*columns, field.attname], ((*row, school_id) for row in rows)


def copy_rows(model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> int:
    """Write rows (tuples of Python values, in ``columns`` order, attnames) into the
    model's table; every NOT NULL column must be listed, but ``school_id``
    (``_school_column``). Returns how many were written."""
    columns, rows = _school_column(model, columns, rows)
    fields = [model._meta.get_field(name) for name in columns]
    required = {
        f.attname
        for f in model._meta.concrete_fields
        if not (f.null or f.generated or isinstance(f, models.AutoField | models.BigAutoField))
        and f.db_default is models.NOT_PROVIDED
    }
    if missing := required - {f.attname for f in fields}:
        raise ValueError(f"{model.__name__}: no value for {sorted(missing)}")
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
        else:
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
            iterator = iter(rows)
            while batch := list(islice(iterator, BATCH)):
                cursor.executemany(
                    sql,
                    [
                        [
                            f.get_db_prep_save(v, connection)
                            for f, v in zip(fields, row, strict=True)
                        ]
                        for row in batch
                    ],
                )
                written += len(batch)
    return written


def reset_sequences(*model_classes: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), model_classes)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _json(value) -> str | object:
    return json.dumps(value) if connection.vendor == "postgresql" else value


# ---------------------------------------------------------------------------
# The data
# ---------------------------------------------------------------------------
class Named(NamedTuple):
    """A pupil as an incident names them."""

    pk: int
    name: str
    year_group: str


@dataclass
class People:
    staff: list[int]
    parents: list[int]
    bench_parents: list[int]


def _users(
    sizes: Sizes, rng: random.Random, now: datetime, *, prefix: str = "bench",
    trust_roles: bool = True,
) -> People:  # fmt: skip
    """Named accounts (one per role, ``<prefix>_<role>``) plus staff and parents
    (``<prefix>_user_<n>``), members of the school in scope; the trust roles' accounts
    (with ``trust_roles``) hold theirs in every school."""
    password = make_password(PASSWORD)
    school_id = school_id_or_default()
    first = next_id(User)
    named = [(f"{prefix}_{role.value}", role) for role in Role
             if trust_roles or role not in TRUST_ROLES]  # fmt: skip
    named += [(f"{prefix}_parent_{n}", Role.PARENT) for n in range(sizes.bench_parents)]
    others = max(sizes.users - len(named), 2)
    staff_count = max(others // 6, 1)
    accounts = named + [
        (f"{prefix}_user_{n}", Role.STAFF if n < staff_count else Role.PARENT)
        for n in range(others)
    ]
    users = [
        (first + i, password, False, name, f"First{i}", f"Last{i}", f"{name}@bench.invalid",
         False, True, now)
        for i, (name, _) in enumerate(accounts)
    ]  # fmt: skip
    copy_rows(
        User,
        ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
         "is_staff", "is_active", "date_joined"],
        users,
    )  # fmt: skip
    copy_rows(
        Membership,
        ["user_id", "school_id", "role"],
        (
            (first + i, None if role in TRUST_ROLES else school_id, role.value)
            for i, (_, role) in enumerate(accounts)
        ),
    )
    ids = {name: first + i for i, (name, _) in enumerate(accounts)}
    parents = [ids[name] for name, role in accounts if role == Role.PARENT]
    copy_rows(
        ParentProfile,
        ["user_id", "school_id", "child_year_group", "created_at"],
        ((pk, school_id, str(rng.randint(1, 11)), now) for pk in parents),
    )
    bench_parents = [ids[f"{prefix}_parent_{n}"] for n in range(sizes.bench_parents)]
    staff = [
        ids[name]
        for name, role in accounts
        if role in (Role.STAFF, Role.COORDINATOR, Role.PRINCIPAL, Role.SLT)
    ]
    return People(
        staff=staff,
        parents=[p for p in parents if p not in set(bench_parents)],
        bench_parents=bench_parents,
    )


def _moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))


def _pupils(sizes: Sizes, rng: random.Random, people: People, now: datetime) -> list[Named]:
    """Pupils in years 7-13 (one in twenty has left), each with a parent; the first is
    BENCH_PUPIL. Returns how incidents name them."""
    first = next_id(Pupil)
    school_id = school_id_or_default()
    named: list[Named] = []

    def pupils() -> Iterator[tuple]:
        for n in range(sizes.pupils):
            pk, year = first + n, rng.choice(YearGroup.values)
            first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            born = date(now.year - 5 - int(year), rng.randint(1, 12), rng.randint(1, 28))
            left = (
                now.date() - timedelta(days=rng.randint(30, 900))
                if n and rng.random() < 0.05
                else None
            )
            named.append(Named(pk, f"{first_name} {last_name}", year))
            yield (
                pk, school_id, f"P{n + 1:06d}", first_name, last_name, born, year,
                f"{year}{rng.choice('ABCDE')}", left, now, now,
            )  # fmt: skip

    copy_rows(
        Pupil,
        ["id", "school_id", "number", "first_name", "last_name", "date_of_birth", "year_group",
         "form", "left_on", "created_at", "updated_at"],
        pupils(),
    )  # fmt: skip
    copy_rows(
        Pupil.parents.through,
        ["pupil_id", "user_id"],
        ((first + n, rng.choice(people.parents)) for n in range(sizes.pupils)),
    )
    return named


def incidents_add(
    count: int, *, rng: random.Random, staff: list[int], start: datetime, end: datetime,
    evidence_every: int, now: datetime, pupils: list[Named] | None = None,
    bench_pupil_every: int = 0, school_id: int | None = None,
) -> int:  # fmt: skip
    """``count`` incidents between start and end, one in ``evidence_every`` with evidence,
    at ``school_id`` (default: the school in scope, or the only one).
    With ``pupils``, each names one or two pupils, seven in ten picked from ``pupils`` and
    the others as free text; the first of ``pupils`` is also named on one incident in
    ``bench_pupil_every``."""
    school_id = school_id or school_id_or_default()
    first = next_id(Incident)
    serial = first
    involved: list[tuple] = []

    def name_pupils(pk: int) -> None:
        for _ in range(2 if rng.random() < 0.25 else 1):
            if rng.random() < 0.7:
                pupil = rng.choice(pupils)
                involved.append((pk, pupil.pk, pupil.name, pupil.year_group))
            else:
                involved.append(
                    (pk, None, "A pupil from another school", rng.choice(YearGroup.values))
                )
        if bench_pupil_every and (pk - first) % bench_pupil_every == 0:
            involved.append((pk, pupils[0].pk, pupils[0].name, pupils[0].year_group))

    def incidents() -> Iterator[tuple]:
        nonlocal serial
        for pk in range(first, first + count):
            occurred = _moment(rng, start, end)
            status = rng.choices(Incident.Status.values, weights=(2, 1, 7))[0]
            isp = occurred + timedelta(days=1) if rng.random() < 0.1 else None
            police = occurred + timedelta(days=2) if rng.random() < 0.03 else None
            closed = occurred + timedelta(days=7) if status == Incident.Status.CLOSED else None
            if pupils:
                name_pupils(pk)
            yield (
                pk, school_id, f"INC-{occurred.year}-{serial:07d}", occurred, rng.choice(staff),
                rng.choice(INCIDENT_CATEGORIES), rng.choice(Severity.values),
                rng.choice(Location.values), "ICT suite, PC 12",
                "Blocked page reached through a proxy site; pupils spoken to.",
                status, isp, "ISP-1" if isp else "", police, "CAD-1" if police else "",
                "Closed after a talk with the pupils." if closed else "", closed, occurred,
                occurred,
            )  # fmt: skip
            serial += 1

    copy_rows(
        Incident,
        ["id", "school_id", "reference", "occurred_at", "reported_by_id", "category",
         "severity", "location", "location_detail", "description", "status",
         "isp_contacted_at", "isp_reference", "police_contacted_at", "police_reference",
         "outcome", "closed_at", "created_at", "updated_at"],
        incidents(),
    )  # fmt: skip
    copy_rows(PupilInvolved, ["incident_id", "pupil_id", "name", "year_group"], involved)
    if evidence_every:
        copy_rows(
            Evidence,
            ["incident_id", "file", "original_name", "content_type", "size", "sha256",
             "uploaded_by_id", "uploaded_at", "captured_url"],
            (
                (pk, f"evidence/be/bench{pk}", "screenshot.png", "image/png", 48_213,
                 "0" * 64, rng.choice(staff), now, "")
                for pk in range(first, first + count, evidence_every)
            ),
        )  # fmt: skip
    return count


def _complaints(sizes: Sizes, rng: random.Random, staff: list[int], start: datetime,
                now: datetime, *, histories: bool = True) -> None:  # fmt: skip
    """Complaints along the policy's path; with ``histories``, each with its transitions
    and one in two with evidence."""
    first = next_id(OnlineComplaint)
    school_id = school_id_or_default()
    events: list[tuple] = []

    def complaints() -> Iterator[tuple]:
        for pk in range(first, first + sizes.complaints):
            created = _moment(rng, start, now)
            path = LONG_PATH if rng.random() < 0.15 else MAIN_PATH
            age_days = (now - created).days
            # Old complaints are finished; recent ones stop somewhere along the path.
            reached = len(path) - 1 if age_days > 60 else rng.randrange(len(path))
            stage = path[reached]
            actor = rng.choice(staff)
            at = created
            steps = zip(path, path[1 : reached + 1], strict=False)
            for number, (before, after) in enumerate(steps):
                at = at + timedelta(days=rng.randint(1, 4))
                if histories:
                    events.append(
                        (pk, at, actor, ComplaintEvent.Kind.TRANSITION, before, after,
                         f"Step {number + 1}", "{}")
                    )  # fmt: skip
            finished = at if stage in (Stage.RESOLVED, Stage.CLOSED) else None
            escalated = created + timedelta(days=12) if Stage.GOVERNORS_MEETING in path[
                : reached + 1] else None  # fmt: skip
            due = None if finished else (at + timedelta(days=rng.randint(-5, 10))).date()
            yield (
                pk, school_id, f"OC-{created.year}-{pk:06d}", rng.choice(Platform.values), "",
                "@someone",
                created - timedelta(hours=3), "A post about the school.", "", "school", "",
                False, rng.choice(MonitoredCategory.values), actor, stage, at, due, escalated,
                "", "", "", "", finished, created, at, "",
            )  # fmt: skip

    copy_rows(
        OnlineComplaint,
        ["id", "school_id", "reference", "platform", "post_url", "account_handle", "posted_at",
         "content", "posted_by_name", "about", "pupils_about", "about_principal", "category",
         "reported_by_id", "stage", "stage_entered_at", "stage_due", "escalated_at",
         "support_note", "legal_adviser", "legal_advice_summary", "outcome", "finished_at",
         "created_at", "updated_at", "governors_meeting_place"],
        complaints(),
    )  # fmt: skip
    if not histories:
        return
    copy_rows(
        ComplaintEvent,
        ["complaint_id", "at", "actor_id", "kind", "from_stage", "to_stage", "summary",
         "changes"],
        ((c, at, a, k, f, t, s, _json({})) for c, at, a, k, f, t, s, _ in events),
    )  # fmt: skip
    copy_rows(
        ComplaintEvidence,
        ["complaint_id", "file", "original_name", "content_type", "size", "sha256",
         "uploaded_by_id", "uploaded_at", "captured_url"],
        ((pk, f"evidence/be/oc{pk}", "post.png", "image/png", 31_000, "0" * 64,
          rng.choice(staff), now, "") for pk in range(first, first + sizes.complaints, 2)),
    )  # fmt: skip


def _training(sizes: Sizes, rng: random.Random, people: People, start: datetime,
              now: datetime) -> None:  # fmt: skip
    """Sessions over the school years, a sixth of them still to come, all for parents
    but one in ten; bookings spread evenly, never more than the capacity."""
    first = next_id(TrainingSession)
    upcoming = max(sizes.sessions // 6, 1)
    per_session = max(sizes.bookings // sizes.sessions, 1)
    topics = _json(AwarenessTopic.values[:3])
    school_id = school_id_or_default()
    sessions = []
    for n, pk in enumerate(range(first, first + sizes.sessions)):
        future = n < upcoming
        starts = (
            now + timedelta(days=1 + n % 120, hours=rng.randint(0, 8))
            if future
            else _moment(rng, start, now - timedelta(days=1))
        )
        audience = Audience.STAFF if n % 10 == 9 else Audience.PARENTS
        row = (
            pk, school_id, f"Social media awareness {n}", topics, audience, starts,
            starts + timedelta(hours=1), "School hall", "", per_session + 10, 1, True,
            SessionStatus.SCHEDULED, now, "",
        )  # fmt: skip
        sessions.append((pk, future, row))
    copy_rows(
        TrainingSession,
        ["id", "school_id", "title", "topics", "audience", "starts_at", "ends_at", "place",
         "online_link", "capacity", "max_guests", "booking_open", "status", "created_at",
         "cancel_reason"],
        (row for _, _, row in sessions),
    )  # fmt: skip

    def bookings() -> Iterator[tuple]:
        for pk, future, _ in sessions:
            for parent in rng.sample(people.parents, min(per_session, len(people.parents))):
                if future:
                    status = BookingStatus.CANCELLED if rng.random() < 0.1 else "confirmed"
                else:
                    status = rng.choices(["attended", "no_show", "cancelled"], (8, 1, 1))[0]
                yield (pk, parent, 0, status, now, now)

    copy_rows(
        Booking, ["session_id", "parent_id", "guests", "status", "created_at", "updated_at"],
        bookings(),
    )  # fmt: skip


def first_school_year(sizes: Sizes, today=None) -> int:
    return school_year_of(today) - sizes.school_years + 1


def school_year_start(start_year: int) -> datetime:
    # In UTC, so that adding an hour is always an hour (a London wall clock skips one).
    return timezone.make_aware(datetime(start_year, 9, 1)).astimezone(UTC)


@transaction.atomic
def generate(sizes: Sizes, *, seed: int = 7) -> People:
    """The whole data set for one run; returns the accounts the load logs in as."""
    rng = random.Random(seed)
    now = timezone.now()
    start = school_year_start(first_school_year(sizes))
    people = _users(sizes, rng, now)
    pupils = _pupils(sizes, rng, people, now)
    incidents_add(
        sizes.incidents, rng=rng, staff=people.staff, start=start, end=now,
        evidence_every=sizes.evidence_every, now=now, pupils=pupils,
        bench_pupil_every=sizes.bench_pupil_every,
    )  # fmt: skip
    _complaints(sizes, rng, people.staff, start, now)
    _training(sizes, rng, people, start, now)
    reset_sequences(
        User, Incident, Evidence, OnlineComplaint, ComplaintEvent, ComplaintEvidence,
        TrainingSession, Booking, ParentProfile, Pupil, PupilInvolved,
    )  # fmt: skip
    return people


@transaction.atomic
def incidents_grow_to(total: int, *, seed: int = 11) -> int:
    """Add incidents (without evidence or pupils) until there are ``total``; for the
    report's large size."""
    missing = total - Incident.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    staff = list(users_with_roles([Role.STAFF]).values_list("pk", flat=True)[:500])
    start = school_year_start(school_year_of() - Sizes.school_years + 1)
    incidents_add(missing, rng=rng, staff=staff, start=start, end=now, evidence_every=0, now=now)
    reset_sequences(Incident)
    return missing


# ---------------------------------------------------------------------------
# A trust: many schools on one installation
# ---------------------------------------------------------------------------
# One school of a trust; fifty of them make 100,000 users, 5,000,000 incidents,
# 1,000,000 complaints and 250,000 bookings.
TRUST_SCHOOL = Sizes(users=2_000, incidents=100_000, complaints=20_000, sessions=1_000,
                     bookings=5_000)  # fmt: skip
TRUST_SCHOOLS = 50


def trust_school_sizes(scale: float = 1.0) -> Sizes:
    """TRUST_SCHOOL times ``scale`` (1/100 while developing), with enough users and
    upcoming sessions left for the bench's named accounts and booking POSTs."""
    base = TRUST_SCHOOL
    return Sizes(
        users=max(round(base.users * scale), 60),
        incidents=max(round(base.incidents * scale), 100),
        complaints=max(round(base.complaints * scale), 20),
        sessions=max(round(base.sessions * scale), 60),
        bookings=max(round(base.bookings * scale), 60),
        pupils=max(round(base.pupils * scale), 20),
    )


def bench_school() -> School:
    """The school whose pages the bench measures: the first (``bench_<role>`` work there)."""
    return School.objects.order_by("pk").first() or default_school()


@contextmanager
def indexes_rebuilt(*model_classes: type[models.Model]) -> Iterator[None]:
    """Drop the tables' secondary indexes (not those of primary keys or unique
    constraints) for a bulk load, and build them again after it: building a GIN
    (search) index once is far cheaper than keeping it up to date row by row."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in model_classes]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        # Within a transaction (the tests), the rows' foreign keys are checked first:
        # PostgreSQL builds no index on a table with checks pending.
        if connection.in_atomic_block:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)


def trust_generate(
    sizes: Sizes, *, schools: int = TRUST_SCHOOLS, seed: int = 7, progress=None
) -> list[int]:
    """A trust of ``schools`` schools of ``sizes`` each (codes S01, S02, ...; pupils on
    roll set), each school's records and members written in its own scope and
    transaction. The first school is the bench's: its accounts are ``bench_<role>``
    (the trust roles' too, held in every school) and its records have everything the
    one-school bench has. The others' accounts are ``bench_sNN_<role>``, and their
    records leave out what only their own pages read (evidence, pupils named on
    incidents, complaints' histories), which would triple the rows to write.
    Returns the schools' ids."""
    rng = random.Random(seed)
    now = timezone.now()
    start = school_year_start(first_school_year(sizes))
    trust = Trust.objects.order_by("pk").first() or Trust.objects.create(name="Bench Trust")
    ids = []
    with indexes_rebuilt(Incident, OnlineComplaint, ComplaintEvent, PupilInvolved, Booking):
        for n in range(schools):
            with transaction.atomic():
                school = (
                    School.objects.order_by("pk")[0]
                    if n == 0 and School.objects.exists()
                    else School(trust=trust)
                )
                school.name, school.code = f"Bench School {n + 1:02d}", f"S{n + 1:02d}"
                school.number_on_roll = sizes.pupils
                school.save()
                ids.append(school.pk)
                with school_scope(school):
                    first = n == 0
                    people = _users(
                        sizes, rng, now, prefix="bench" if first else f"bench_s{n + 1:02d}",
                        trust_roles=first,
                    )  # fmt: skip
                    pupils = _pupils(sizes, rng, people, now)
                    incidents_add(
                        sizes.incidents, rng=rng, staff=people.staff, start=start, end=now,
                        evidence_every=sizes.evidence_every if first else 0, now=now,
                        pupils=pupils if first else None,
                        bench_pupil_every=sizes.bench_pupil_every,
                    )  # fmt: skip
                    _complaints(sizes, rng, people.staff, start, now, histories=first)
                    _training(sizes, rng, people, start, now)
            if progress:
                progress(n + 1)
    reset_sequences(
        User, Incident, Evidence, OnlineComplaint, ComplaintEvent, ComplaintEvidence,
        TrainingSession, Booking, ParentProfile, Pupil, PupilInvolved,
    )  # fmt: skip
    return ids
