"""``fastdate``: Django's ``date`` filter for the formats long lists print on every row.

``date`` reads its format letter by letter, each through a method and a translation
lookup: 40–60 µs a call, 2 ms for a list of 25 rows with two dates. ``fastdate`` gives the
same text for the letters those lists use (the same translated names) in a fraction of
that, and hands any other format to ``date``.
"""

from functools import lru_cache

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS, WEEKDAYS_ABBR

register = template.Library()

LETTERS = {
    "d": lambda value: f"{value.day:02d}",
    "j": lambda value: str(value.day),
    "D": lambda value: str(WEEKDAYS_ABBR[value.weekday()]),
    "l": lambda value: str(WEEKDAYS[value.weekday()]),
    "M": lambda value: MONTHS_3[value.month].title(),
    "F": lambda value: str(MONTHS[value.month]),
    "Y": lambda value: f"{value.year:04d}",
    "H": lambda value: f"{value.hour:02d}",
    "i": lambda value: f"{value.minute:02d}",
}


@lru_cache(maxsize=64)
def _compiled(arg: str) -> tuple | None:
    """The format read once: each letter's function or a literal character; None if it
    uses a letter (or an escape) left to Django's ``date``."""
    if any(char.isalpha() and char not in LETTERS or char == "\\" for char in arg):
        return None
    return tuple(LETTERS.get(char, char) for char in arg)


@register.filter(expects_localtime=True, is_safe=False)
def fastdate(value, arg: str) -> str:
    if value in (None, ""):
        return ""
    parts = _compiled(arg)
    if parts is None:
        return django_date(value, arg)
    try:
        return "".join(part if isinstance(part, str) else part(value) for part in parts)
    except AttributeError:  # not a date, or a time format for a date
        return django_date(value, arg)
