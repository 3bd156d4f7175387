from django import template

register = template.Library()
SMALL = 5


def _is_small(value) -> bool:
    return isinstance(value, int) and 0 < value < SMALL


@register.filter
def suppress(value):
    """Counts from 1 to 4 could identify someone in a report for governors."""
    return f"fewer than {SMALL}" if _is_small(value) else value


@register.simple_tag
def change(this_year, last_year) -> str:
    """Year-on-year change, unless either count is suppressed."""
    if _is_small(this_year) or _is_small(last_year):
        return "—"
    difference = this_year - last_year
    return f"{difference:+d}" if difference else "no change"
