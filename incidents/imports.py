"""Import of the web filter's alert export (CSV) as incidents; see the README."""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from incidents.models import FilteringCategory, Incident, Location, Severity

COLUMNS = ["timestamp", "user", "device", "url", "category", "action"]
MAX_ROWS = 5000

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
}
TIMESTAMP_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"]


@dataclass
class ImportResult:
    created: list[Incident] = field(default_factory=list)
    already_imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


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


def _timestamp(value: str) -> datetime:
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
                f"timestamp “{value}” is not a date and time "
                "(use 2026-03-04 10:15 or 04/03/2026 10:15)"
            ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def parse_alerts(text: str) -> tuple[list[Alert], list[tuple[int, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        return [], [(1, f"the header lacks the column(s): {', '.join(missing)}")]
    reader.fieldnames = header
    alerts, errors = [], []
    for row in reader:
        line = reader.line_num
        if len(alerts) + len(errors) >= MAX_ROWS:
            errors.append((line, f"more than {MAX_ROWS} rows; split the file"))
            break
        values = {key: (value or "").strip() for key, value in row.items() if key}
        problems = []
        category = CATEGORY_BY_NAME.get(
            values["category"].lower().replace("_", " ").replace("-", " ")
        )
        if category is None:
            problems.append(f"unknown category “{values['category']}”")
        try:
            occurred_at = _timestamp(values["timestamp"])
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
    return alerts, errors


def incidents_import_filter_alerts(*, actor, text: str) -> ImportResult:
    """All rows or none: a file with any bad row creates nothing and lists every problem.

    Rows imported before (same time, user, device and url) are skipped, not duplicated.
    """
    from incidents.services import incident_create

    alerts, errors = parse_alerts(text)
    if errors:
        return ImportResult(errors=errors)
    result = ImportResult()
    with transaction.atomic():
        known = set(
            Incident.objects.filter(filter_alert_key__in=[a.key for a in alerts]).values_list(
                "filter_alert_key", flat=True
            )
        )
        for alert in alerts:
            if alert.key in known:
                result.already_imported += 1
                continue
            known.add(alert.key)
            result.created.append(
                incident_create(
                    actor=actor,
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
            )
    return result
