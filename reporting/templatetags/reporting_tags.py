"""How the annual report shows its figures to governors.

A count about people (incidents, complaints, concerns, attendances, staff) from 1 to 4
could point to someone, so it is shown as "fewer than 5". A count that names no one
(sessions held, actions agreed) is shown as it is: hiding it would hide only the
school's own work.
"""

from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html

from overstone.markdown import render_markdown

register = template.Library()
SMALL = 5


def _is_small(value) -> bool:
    return isinstance(value, int) and 0 < value < SMALL


@register.filter
def suppress(value):
    """Counts of people from 1 to 4 could identify someone in a report for governors."""
    return f"fewer than {SMALL}" if _is_small(value) else value


@register.filter
def day(iso: str) -> str:
    """A date the snapshot keeps as ISO text (2026-09-22) as governors read it:
    22 September 2026."""
    try:
        return date_format(date.fromisoformat(iso), "j F Y")
    except (TypeError, ValueError):
        return iso


@register.simple_tag
def change(this_year, last_year, people: bool = True) -> str:
    """Year-on-year change, unless either is a count of people that is suppressed, or
    either is unknown."""
    if this_year is None or last_year is None:
        return "—"
    if people and (_is_small(this_year) or _is_small(last_year)):
        return "—"
    difference = this_year - last_year
    return f"{difference:+d}" if difference else "no change"


def _shown(value, *, people: bool):
    if value is None:
        return "—"
    return suppress(value) if people else value


@register.simple_tag
def compare(figure: dict, people: bool = True) -> str:
    """Three table cells for ``{"this_year": ..., "last_year": ...}``: this year, last year
    and the change. ``people=False`` for a count that names no one, and for a rate or a
    median (``None`` when there is nothing to take it of)."""
    this_year, last_year = figure["this_year"], figure["last_year"]
    return format_html(
        '<td class="n">{}</td><td class="n">{}</td><td class="n">{}</td>',
        _shown(this_year, people=people),
        _shown(last_year, people=people),
        change(this_year, last_year, people=people),
    )


@register.filter
def markdown(text: str):
    """The principal's development section: Markdown, cleaned as the working party's
    minutes are (no scripts, styles, images or event handlers)."""
    return render_markdown(text)
