"""School years run from 1 September to 31 August; a year is named by its start."""

from collections.abc import Callable
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


def default_england_closure(day: date) -> bool:
    """Holidays every English school has, for years the school's calendar does not cover:
    Christmas (from 20 December to 3 January) and summer (from 22 July to 31 August)."""
    md = (day.month, day.day)
    return md >= (12, 20) or md <= (1, 3) or (7, 22) <= md <= (8, 31)


def school_day_by_default(day: date) -> bool:
    """A weekday outside the default closures: a school day where no calendar is kept."""
    return day.weekday() < 5 and not default_england_closure(day)


_school_day: list[Callable[[date], bool]] = [school_day_by_default]


def school_day_check_provide(check: Callable[[date], bool]) -> None:
    """The app that keeps the school's term calendar (complaints, from its ``ready``)
    answers ``is_school_day`` for every app, which need not import it."""
    _school_day[:] = [check]


def is_school_day(day: date) -> bool:
    """In term, on a weekday, not a holiday, INSET day or closure of the school's calendar
    (e.g. training's demo sessions keep to it)."""
    return _school_day[0](day)
