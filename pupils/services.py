"""Pupils: the import of the school's information-system export, one by hand, and
anonymisation once a leaver's record has been kept long enough."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

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
from overstone.models import ImportJob
from pupils.models import Pupil, YearGroup
from pupils.parents import ParentRow, parent_accounts_ensure

HEADER_ALIASES = {
    "pupil_number": "number",
    "number": "number",
    "upn": "number",
    "admission_number": "number",
    "first_name": "first_name",
    "forename": "first_name",
    "last_name": "last_name",
    "surname": "last_name",
    "date_of_birth": "date_of_birth",
    "dob": "date_of_birth",
    "year_group": "year_group",
    "year": "year_group",
    "form": "form",
    "tutor_group": "form",
    "registration_group": "form",
    "parent1_name": "parent1_name",
    "parent1_email": "parent1_email",
    "parent2_name": "parent2_name",
    "parent2_email": "parent2_email",
}
REQUIRED_COLUMNS = ("number", "first_name", "last_name", "year_group")
PARENT_SLOTS = ("parent1", "parent2")
# Letters, digits and dashes with at least one digit (so never "new" or "import" in a URL).
NUMBER = re.compile(r"(?=.*[0-9])[A-Za-z0-9][A-Za-z0-9-]{0,19}")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
FIELDS = ("first_name", "last_name", "date_of_birth", "year_group", "form")
MAX_ROWS = 20_000


@dataclass
class PupilRow:
    line: int
    number: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    year_group: str
    form: str
    parents: list[tuple[str, str]] = field(default_factory=list)  # (name, e-mail)


def year_group_parse(value: str) -> str | None:
    """``7``, ``Year 7``, ``Y7`` and ``Yr 7`` are all Year 7; None if not a year group."""
    value = re.sub(r"^(year|yr|y)\s*", "", value.strip().lower())
    return value if value in YearGroup.values else None


def _date_parse(value: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _row_parse(line: int, record: dict[str, str], seen: dict[str, int]):
    """A PupilRow, or the list of what is wrong with the row."""
    reasons = []
    number = record["number"].upper()  # as data protection looks references up
    if not number:
        reasons.append("the pupil number is empty")
    elif not NUMBER.fullmatch(number):
        reasons.append(
            f"the pupil number {quoted(number)} is not letters, digits and dashes "
            "(at most 20, at least one digit)"
        )
    elif number in seen:
        reasons.append(f"pupil number {number} is also on line {seen[number]}")
    for name, label in (("first_name", "first name"), ("last_name", "last name")):
        if not record[name]:
            reasons.append(f"the {label} is empty")
        elif len(record[name]) > 100:
            reasons.append(f"the {label} is longer than 100 characters")
    year_group = year_group_parse(record["year_group"])
    if year_group is None:
        reasons.append(f"{quoted(record['year_group'])} is not a year group from 7 to 13")
    born = None
    if record.get("date_of_birth"):
        born = _date_parse(record["date_of_birth"])
        if born is None:
            reasons.append(
                f"{quoted(record['date_of_birth'])} is not a date (YYYY-MM-DD or DD/MM/YYYY)"
            )
        elif born > timezone.localdate():
            reasons.append("the date of birth is in the future")
    if len(record.get("form", "")) > 20:
        reasons.append("the form is longer than 20 characters")
    parents = []
    for slot in PARENT_SLOTS:
        name = " ".join(record.get(f"{slot}_name", "").split())
        email = record.get(f"{slot}_email", "").lower()
        if not name and not email:
            continue
        if not email:
            reasons.append(f"{slot} has a name but no e-mail address")
            continue
        try:
            validate_email(email)
        except ValidationError:
            reasons.append(f"{quoted(record[f'{slot}_email'])} is not an e-mail address")
            continue
        if len(email) > 150 or len(name) > 300:
            reasons.append(f"{slot}'s name or e-mail address is too long")
            continue
        parents.append((name, email))
    if reasons:
        return reasons
    return PupilRow(
        line=line,
        number=number,
        first_name=record["first_name"],
        last_name=record["last_name"],
        date_of_birth=born,
        year_group=year_group,
        form=record.get("form", ""),
        parents=parents,
    )


def pupils_parse(text: str, progress: Progress | None = None) -> list[PupilRow]:
    """The rows of an export; every bad row is reported (RowProblems) and none kept."""
    errors: list[tuple[int, str]] = []
    rows: list[PupilRow] = []
    seen: dict[str, int] = {}
    table = csv_table(
        text,
        aliases=HEADER_ALIASES,
        required=REQUIRED_COLUMNS,
        names="pupil_number, first_name, last_name, year_group",
        errors=errors,
        progress=progress,
    )
    for number, record in table:
        if len(rows) + len(errors) >= MAX_ROWS:
            raise RowProblems([(number, f"The file has more than {MAX_ROWS:,} pupils.")])
        parsed = _row_parse(number, record, seen)
        if isinstance(parsed, list):
            errors.append((number, sentence("; ".join(parsed))))
            continue
        seen[parsed.number] = number
        rows.append(parsed)
    if errors:
        raise RowProblems(errors)
    if not rows:
        # An empty list would mark every pupil as left: surely the wrong file.
        raise RowProblems([(2, "The file has a header but no pupils.")])
    return rows


def pupils_import(*, csv_text: str, actor, progress: Progress | None = None) -> dict:
    """All rows or none. Pupils are matched by pupil number: new ones are added, known
    ones updated, and those no longer in the file marked as left (a returning pupil's
    mark is removed). Each pupil's parents become exactly those the file names."""
    rows = pupils_parse(csv_text, progress)
    if progress:
        progress(rows[-1].line, f"Saving {len(rows):,} pupils")
    return _pupils_save(rows=rows, actor=actor)


def _values(pupil) -> dict:
    return {name: getattr(pupil, name) for name in FIELDS}


def _shown(value) -> str:
    return "" if value is None else str(value)


@transaction.atomic
def _pupils_save(*, rows: list[PupilRow], actor) -> dict:
    today = timezone.localdate()
    known = {pupil.number: pupil for pupil in Pupil.objects.select_for_update()}
    new, changed, audits = [], [], []
    for row in rows:
        values = {name: getattr(row, name) for name in FIELDS}
        pupil = known.get(row.number)
        if pupil is None:
            new.append(Pupil(number=row.number, **values))
            continue
        changes = {
            name: [_shown(before), _shown(values[name])]
            for name, before in _values(pupil).items()
            if before != values[name]
        }
        if pupil.left_on is not None:
            changes["left on"] = [str(pupil.left_on), ""]
            pupil.left_on = None
        if changes:
            for name, value in values.items():
                setattr(pupil, name, value)
            changed.append(pupil)
            audits.append((pupil, changes))
    in_file = {row.number for row in rows}
    leavers = [
        pupil
        for number, pupil in known.items()
        if number not in in_file and pupil.left_on is None and pupil.anonymised_at is None
    ]
    for pupil in leavers:
        pupil.left_on = today
        audits.append((pupil, {"left on": ["", str(today)]}))
    Pupil.objects.bulk_create(new, batch_size=1000)
    Pupil.objects.bulk_update(changed, [*FIELDS, "left_on"], batch_size=1000)
    Pupil.objects.bulk_update(leavers, ["left_on"], batch_size=1000)
    audits += [
        (pupil, {"pupil": ["", f"{pupil.number} {pupil.first_name} {pupil.last_name}"]})
        for pupil in new
    ]
    audit_change_many(actor=actor, changes=audits)
    parents = _parents_link(rows=rows, actor=actor)
    summary = {
        "created": len(new),
        "updated": len(changed),
        "left": len(leavers),
        "parents_linked": parents,
    }
    audit_change(
        actor=actor,
        obj=actor,
        reference="pupils import",
        changes={
            "pupils imported": [
                "",
                f"{len(new)} added, {len(changed)} updated, {len(leavers)} marked as left",
            ]
        },
    )
    return summary


def _parents_link(*, rows: list[PupilRow], actor) -> int:
    """Each pupil of the file gets exactly the parents it names; returns the links."""
    parent_rows: dict[str, ParentRow] = {}
    for row in rows:
        for name, email in row.parents:
            first, _, last = name.partition(" ")
            parent_rows.setdefault(email, ParentRow(row.line, first, last, email, row.year_group))
    accounts = (
        parent_accounts_ensure(rows=list(parent_rows.values()), actor=actor) if parent_rows else {}
    )
    every = dict(Pupil.objects.values_list("number", "pk"))
    ids = {row.number: every[row.number] for row in rows}
    Link = Pupil.parents.through
    Link.objects.filter(pupil_id__in=ids.values()).delete()
    links = {(ids[row.number], accounts[email].pk) for row in rows for _, email in row.parents}
    Link.objects.bulk_create(
        [Link(pupil_id=pupil, user_id=user) for pupil, user in links], batch_size=1000
    )
    return len(links)


def pupils_import_start(*, csv_text: str, actor) -> tuple[ImportJob, bool]:
    """Queue the import of the pupils export; see overstone.imports.import_job_start."""
    return import_job_start(
        kind=ImportJob.Kind.PUPILS, text=csv_text, actor=actor, task="pupils.tasks.import_pupils"
    )


def pupils_import_job_run(*, job_id: int) -> ImportJob | None:
    """The queued import of a pupils export (see overstone.imports)."""
    return import_job_run(
        job_id=job_id,
        work=lambda *, text, actor, progress: pupils_import(
            csv_text=text, actor=actor, progress=progress
        ),
    )


@transaction.atomic
def pupil_create(
    *,
    number: str,
    first_name: str,
    last_name: str,
    year_group: str,
    actor,
    date_of_birth: date | None = None,
    form: str = "",
) -> Pupil:
    """A pupil added by hand (one who joined since the last export, say); the next
    import updates them by their pupil number."""
    pupil = Pupil.objects.create(
        number=number,
        first_name=first_name,
        last_name=last_name,
        year_group=year_group,
        date_of_birth=date_of_birth,
        form=form,
    )
    audit_change(
        actor=actor, obj=pupil, changes={"pupil": ["", f"{number} {first_name} {last_name}"]}
    )
    return pupil


@transaction.atomic
def pupil_anonymise(*, pupil: Pupil, actor) -> Pupil:
    """A leaver's record once kept long enough: the name, date of birth, form and links to
    the parents go; the pupil number stays so the records that named them still point
    somewhere (they are anonymised under their own rules)."""
    pupil = Pupil.objects.select_for_update().get(pk=pupil.pk)
    pupil.first_name, pupil.last_name = "Anonymised", "pupil"
    pupil.date_of_birth, pupil.form = None, ""
    pupil.anonymised_at = timezone.now()
    pupil.save(update_fields=["first_name", "last_name", "date_of_birth", "form", "anonymised_at"])
    pupil.parents.clear()
    audit_change(actor=actor, obj=pupil, changes={"anonymised": ["", "under the retention policy"]})
    return pupil
