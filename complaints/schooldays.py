"""School days: weekdays in term that are not a holiday, INSET day or closure.

``add_school_days`` is pure: it takes a ``SchoolCalendar`` built from the term calendar
the principal maintains (``complaints.selectors.school_calendar``). Where the calendar
knows no term for a date (years nobody has entered yet), every weekday counts, except
the England default closures (``overstone.schoolyear``), so a deadline is never missing
or absurdly far off.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from overstone.schoolyear import default_england_closure


@dataclass(frozen=True)
class SchoolCalendar:
    terms: tuple[tuple[date, date], ...] = ()
    closed: tuple[tuple[date, date], ...] = ()  # holidays, INSET days, bank holidays
    _years: frozenset[int] = field(default=frozenset(), compare=False)

    @classmethod
    def of(cls, terms, closed) -> "SchoolCalendar":
        terms = tuple(sorted(terms))
        years = frozenset(school_year_of(day) for start, end in terms for day in (start, end))
        return cls(terms=terms, closed=tuple(sorted(closed)), _years=years)

    def knows(self, day: date) -> bool:
        return school_year_of(day) in self._years

    def is_school_day(self, day: date) -> bool:
        if day.weekday() >= 5:
            return False
        if any(start <= day <= end for start, end in self.closed):
            return False
        if self.knows(day):
            return any(start <= day <= end for start, end in self.terms)
        return not default_england_closure(day)


def school_year_of(day: date) -> int:
    """The calendar year a school year (September to August) starts in."""
    return day.year if day.month >= 9 else day.year - 1


def add_school_days(start: date, n: int, *, calendar: SchoolCalendar) -> date:
    """The date ``n`` school days after ``start`` (``start`` itself does not count)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day, remaining = start, n
    while remaining:
        day += timedelta(days=1)
        if calendar.is_school_day(day):
            remaining -= 1
    return day


def school_days_between(start: date, end: date, *, calendar: SchoolCalendar) -> int:
    """School days after ``start`` up to and including ``end`` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += calendar.is_school_day(day)
    return count
