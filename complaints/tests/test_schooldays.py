from datetime import date

import pytest

from complaints.schooldays import SchoolCalendar, add_school_days, school_days_between

TERM = SchoolCalendar.of(
    terms=[(date(2026, 9, 1), date(2026, 12, 18)), (date(2027, 1, 4), date(2027, 3, 25))],
    closed=[(date(2026, 9, 1), date(2026, 9, 2)), (date(2026, 10, 26), date(2026, 10, 30))],
)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 9, 3), 0, date(2026, 9, 3)),
        (date(2026, 9, 3), 1, date(2026, 9, 4)),  # Thursday -> Friday
        (date(2026, 9, 4), 1, date(2026, 9, 7)),  # Friday -> Monday: weekends skipped
        (date(2026, 8, 28), 1, date(2026, 9, 3)),  # INSET days at the start skipped
        (date(2026, 10, 23), 1, date(2026, 11, 2)),  # half term skipped
        (date(2026, 12, 17), 2, date(2027, 1, 4)),  # Christmas holiday (outside terms)
        (date(2026, 10, 19), 10, date(2026, 11, 9)),
    ],
)
def test_add_school_days(start, n, expected):
    assert add_school_days(start, n, calendar=TERM) == expected


def test_years_the_calendar_does_not_know_use_weekdays_minus_england_holidays():
    empty = SchoolCalendar()
    assert add_school_days(date(2030, 3, 1), 1, calendar=empty) == date(2030, 3, 4)
    assert add_school_days(date(2030, 12, 19), 1, calendar=empty) == date(2031, 1, 6)
    assert add_school_days(date(2030, 7, 19), 1, calendar=empty) == date(2030, 9, 2)


def test_school_days_between_counts_the_same_days():
    assert school_days_between(date(2026, 10, 23), date(2026, 11, 2), calendar=TERM) == 1
    assert school_days_between(date(2026, 11, 2), date(2026, 10, 23), calendar=TERM) == 0


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_school_days(date(2026, 9, 3), -1, calendar=TERM)


def test_default_england_calendar_is_seeded(db):
    from complaints.models import CalendarEntry
    from complaints.selectors import school_calendar

    assert CalendarEntry.objects.filter(kind="term").count() >= 6
    calendar = school_calendar()
    assert not calendar.is_school_day(date(2026, 10, 27))  # autumn half term
    assert calendar.is_school_day(date(2026, 11, 2))
