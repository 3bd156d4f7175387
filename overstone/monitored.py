"""The policy's monitored counts, gathered from every app that records online conduct.

The kernel names no app: an app whose records count declares its counter in its own
``monitored.py``, found at start-up as ``personal_data.py`` is. Example,
``incidents/monitored.py``::

    from incidents.selectors import incident_counts_by_category
    from overstone.monitored import register

    register(incident_counts_by_category)

A counter takes ``since`` and ``until`` (dates, inclusive; ``since`` may be None) and
returns ``{monitored category value: count}``.
"""

from collections import Counter
from collections.abc import Callable
from datetime import date

from django.utils.module_loading import autodiscover_modules

from overstone.models import MonitoredCategory

CategoryCounter = Callable[..., dict[str, int]]

# Keyed by the counter's qualified name, so importing a declaration twice counts once.
_counters: dict[str, CategoryCounter] = {}


def register(counter: CategoryCounter) -> CategoryCounter:
    _counters[f"{counter.__module__}.{counter.__qualname__}"] = counter
    return counter


def autodiscover() -> None:
    autodiscover_modules("monitored")


def monitored_counts_between(*, since: date | None, until: date) -> dict[str, int]:
    """{monitored category value: count} between two dates (inclusive), every category."""
    counts = Counter()
    for counter in _counters.values():
        counts.update(counter(since=since, until=until))
    return {value: counts[value] for value in MonitoredCategory.values}
