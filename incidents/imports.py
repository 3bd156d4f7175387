"""Import of the web filter's alert export (CSV) as incidents; see the README."""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from incidents.models import FilteringCategory, Incident, IncidentEvent, Location, Severity
from overstone.imports import (
    PROGRESS_EVERY,
    Progress,
    RowProblems,
    csv_records,
    import_job_run,
    import_job_start,
    quoted,
)
from overstone.models import ImportJob
from overstone.references import reference_block
from overstone.schools import school_id_or_default

COLUMNS = ["timestamp", "user", "device", "url", "category", "action"]
MAX_ROWS = 50_000
BATCH = 1000  # rows a query names at once (SQLite takes at most 32,766 parameters)
FUTURE_GRACE = timedelta(minutes=5)  # as the incident form allows for clocks

C = FilteringCategory
CATEGORY_NAMES = {
    C.ADULT: ["adult", "adult content", "pornography", "sexual content", "nudity"],
    C.VIOLENT: ["violent", "violence", "violent content", "gore"],
    C.HATE: ["hate", "hate material", "hate speech", "intolerance", "extremism"],
    C.ILLEGAL_DRUGS: ["illegal drugs", "drugs", "illegal drug taking", "substance abuse"],
    C.CRIMINAL: ["criminal", "criminal activity", "criminal content", "illegal", "hacking"],
    C.GAMBLING: ["gambling", "betting"],
    C.NON_EDUCATIONAL: [
        "non educational",
        "social networking",
        "social media",
        "social networks",
        "chat",
    ],
}
CATEGORY_BY_NAME = {name: category for category, names in CATEGORY_NAMES.items() for name in names}
SEVERITY = {
    C.ADULT: Severity.HIGH,
    C.VIOLENT: Severity.HIGH,
    C.HATE: Severity.HIGH,
    C.ILLEGAL_DRUGS: Severity.HIGH,
    C.CRIMINAL: Severity.HIGH,
    C.GAMBLING: Severity.MEDIUM,
    C.NON_EDUCATIONAL: Severity.LOW,
    # Not known, so not quietly low: the coordinator reads what it was.
    C.OTHER_WEB: Severity.MEDIUM,
}
TIMESTAMP_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]


@dataclass
class ImportResult:
    created: list[Incident] = field(default_factory=list)
    already_imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Alert:
    line: int
    occurred_at: datetime
    user: str
    device: str
    url: str
    category: str
    action: str

    @property
    def key(self) -> str:
        raw = "|".join([self.occurred_at.isoformat(), self.user, self.device, self.url])
        return hashlib.sha256(raw.encode()).hexdigest()


def _timestamp(value: str, now: datetime) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        for pattern in TIMESTAMP_FORMATS:
            try:
                moment = datetime.strptime(value, pattern)
                break
            except ValueError:
                continue
        else:
            raise ValueError(
                f"timestamp {quoted(value)} is not a date and time "
                "(use 2026-03-04 10:15 or 04/03/2026 10:15)"
            ) from None
    try:
        moment = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        moment.astimezone(UTC)  # what the database stores
    except (OverflowError, ValueError):  # e.g. 0001-01-01T00:00:00+01:00
        raise ValueError(f"timestamp {quoted(value)} is not a date that can be stored") from None
    if moment > now + FUTURE_GRACE:  # as the incident form: an alert is never from the future
        raise ValueError(f"timestamp {quoted(value)} is in the future")
    return moment


def unknown_category_warnings(unknown: dict[str, list[int]]) -> list[str]:
    """One warning per web filter category the import did not know (however many rows
    named it), so that the coordinator can check what those incidents were."""
    label = FilteringCategory.OTHER_WEB.label
    return [
        f"Web filter category {quoted(name)} is not one we know: "
        f"{len(lines)} row(s), first on line {lines[0]}, imported as “{label}”."
        for name, lines in unknown.items()
    ]


def parse_alerts(
    text: str, progress: Progress | None = None
) -> tuple[list[Alert], list[tuple[int, str]], list[str]]:
    """The alerts, the row problems and the warnings (rows imported, but not as they said).

    A category the filter names that we do not know does not refuse the file: a web
    filter's vendor adds categories, and the alert still has to be logged."""
    records = csv_records(text)
    line, header = next(records, (1, []))
    if isinstance(header, str):
        return [], [(line, header)], []
    header = [name.strip().lower() for name in header]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        return [], [(1, f"the header lacks the column(s): {', '.join(missing)}")], []
    now = timezone.now()
    alerts, errors = [], []
    unknown: dict[str, list[int]] = {}
    for line, values in records:
        if progress and line % PROGRESS_EVERY == 0:
            progress(line - 1, "Checking the rows")
        if len(alerts) + len(errors) >= MAX_ROWS:
            errors.append((line, f"more than {MAX_ROWS} rows; split the file"))
            break
        if isinstance(values, str):
            errors.append((line, values))
            continue
        if not any(value.strip() for value in values):
            continue
        row = dict(zip(header, values, strict=False))
        values = {column: (row.get(column) or "").strip() for column in COLUMNS}
        problems = []
        category = CATEGORY_BY_NAME.get(
            values["category"].lower().replace("_", " ").replace("-", " ")
        )
        if category is None and not values["category"]:
            problems.append("the category is empty")
        elif category is None:
            category = FilteringCategory.OTHER_WEB
            unknown.setdefault(values["category"][:100], []).append(line)
        try:
            occurred_at = _timestamp(values["timestamp"], now)
        except ValueError as error:
            problems.append(str(error))
        if not values["url"]:
            problems.append("the url is empty")
        elif len(values["url"]) > 2000:
            problems.append("the url is longer than 2000 characters")
        if problems:
            errors.append((line, "; ".join(problems)))
            continue
        alerts.append(
            Alert(
                line,
                occurred_at,
                values["user"][:150],
                values["device"][:100],
                values["url"],
                category,
                values["action"][:50] or "blocked",
            )
        )
    if not alerts and not errors:
        errors.append((2, "the file has no rows"))
    return alerts, errors, unknown_category_warnings(unknown)


def incidents_import_filter_alerts(
    *, actor, text: str, progress: Progress | None = None
) -> ImportResult:
    """All rows or none: a file with any bad row creates nothing and lists every problem.

    Rows imported before (same time, user, device and url) are skipped, not duplicated.
    Checked row by row, then saved in bulk, so that 50,000 rows import in seconds.
    A category we do not know is imported as "other web content", with a warning.
    """
    alerts, errors, warnings = parse_alerts(text, progress)
    if errors:
        return ImportResult(errors=errors)
    if progress:
        progress(alerts[-1].line, f"Saving {len(alerts):,} alerts")
    with transaction.atomic():
        result = _alerts_save(alerts=alerts, actor=actor)
    result.warnings = warnings
    return result


def _alerts_save(*, alerts: list[Alert], actor) -> ImportResult:
    keys = [alert.key for alert in alerts]
    known = set()
    for start in range(0, len(keys), BATCH):
        known.update(
            Incident.objects.filter(filter_alert_key__in=keys[start : start + BATCH]).values_list(
                "filter_alert_key", flat=True
            )
        )
    new: dict[str, Alert] = {}
    for alert in alerts:
        if alert.key not in known:
            new.setdefault(alert.key, alert)
    result = ImportResult(already_imported=len(alerts) - len(new))
    references = reference_block(prefix="INC", count=len(new))
    # The importing school: its upload's task runs in the scope it was queued in.
    school_id = school_id_or_default()
    result.created = Incident.objects.bulk_create(
        [
            Incident(
                school_id=school_id,
                reference=reference,
                reported_by_id=actor.pk,
                occurred_at=alert.occurred_at,
                category=alert.category,
                severity=SEVERITY[alert.category],
                location=Location.SCHOOL_NETWORK,
                location_detail=alert.device,
                description=(
                    f"Web filter alert ({alert.action}): {alert.url}\n"
                    f"Network user: {alert.user or 'unknown'}; device: "
                    f"{alert.device or 'unknown'}."
                ),
                filter_alert_key=alert.key,
            )
            for reference, alert in zip(references, new.values(), strict=True)
        ],
        batch_size=BATCH,
    )
    # The chronology's first line, as incident_create writes it for each incident.
    IncidentEvent.objects.bulk_create(
        [
            IncidentEvent(
                incident_id=incident.pk,
                kind=IncidentEvent.Kind.CREATED,
                actor_id=actor.pk,
                summary=f"{incident.category_label}, {incident.severity}",
            )
            for incident in result.created
        ],
        batch_size=BATCH,
    )
    return result


def incidents_import_job_run(*, job_id: int) -> ImportJob | None:
    """The queued import of a web filter export (see overstone.imports)."""

    def work(*, text: str, actor, progress: Progress) -> dict:
        result = incidents_import_filter_alerts(actor=actor, text=text, progress=progress)
        if result.errors:
            raise RowProblems(result.errors)
        return {
            "created": len(result.created),
            "already_imported": result.already_imported,
            "warnings": result.warnings,
        }

    return import_job_run(job_id=job_id, work=work)


def incidents_import_start(*, text: str, actor) -> tuple[ImportJob, bool]:
    """Queue the import of a web filter export; see overstone.imports.import_job_start."""
    return import_job_start(
        kind=ImportJob.Kind.FILTER_ALERTS,
        text=text,
        actor=actor,
        task="incidents.tasks.import_filter_alerts",
    )
