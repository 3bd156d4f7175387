from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from overstone.templatetags.dates import fastdate

FORMATS = ["j M Y", "j M Y H:i", "l j F Y, H:i", "D j M Y, H:i", "H:i", "d/m/Y"]


def render(source: str, value) -> str:
    return Template("{% load dates %}" + source).render(Context({"value": value}))


@pytest.mark.parametrize("format", FORMATS)
def test_the_same_text_as_django_date(format):
    start = datetime(2025, 1, 1, 0, 7, tzinfo=ZoneInfo("UTC"))
    for hours in range(0, 24 * 400, 37):  # every month and weekday, both sides of DST
        value = start + timedelta(hours=hours)
        assert render(f'{{{{ value|fastdate:"{format}" }}}}', value) == render(
            f'{{{{ value|date:"{format}" }}}}', value
        )


def test_dates_nothing_and_other_formats_as_django_date():
    assert fastdate(date(2026, 3, 9), "j M Y") == "9 Mar 2026"
    with pytest.raises(TypeError):  # as date's: no time of day in a date
        fastdate(date(2026, 3, 9), "H:i")
    assert fastdate(None, "j M Y") == "" and fastdate("", "j M Y") == ""
    value = datetime(2026, 3, 9, 14, 5)
    assert fastdate(value, "N jS, P") == render('{{ value|date:"N jS, P" }}', value)
