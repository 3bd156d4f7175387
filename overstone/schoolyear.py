"""School years run from 1 September to 31 August; a year is named by its start."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone


def school_year_of(day: date | None = None) -> int:
    day = day or timezone.localdate()
    return day.year if day.month >= 9 else day.year - 1


def school_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def school_year_label(start_year: int) -> str:
    return f"{start_year}–{str(start_year + 1)[-2:]}"


def days_q(field: str, since: date | None, until: date) -> Q:
    """``field`` (a timestamp) on a local day from ``since`` to ``until`` inclusive, as a
    range of instants: unlike ``field__date``, an index on the column serves it."""

    def midnight(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.min))

    q = Q(**{f"{field}__lt": midnight(until + timedelta(days=1))})
    return q & Q(**{f"{field}__gte": midnight(since)}) if since is not None else q
