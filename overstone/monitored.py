"""The policy's monitored counts, gathered from every app that records online conduct."""

from collections import Counter
from datetime import date

from overstone.models import MonitoredCategory


def monitored_counts_between(*, since: date | None, until: date) -> dict[str, int]:
    """{monitored category value: count} between two dates (inclusive), every category."""
    from complaints.selectors import complaint_counts_by_category
    from incidents.selectors import incident_counts_by_category

    counts = Counter(incident_counts_by_category(since=since, until=until))
    counts.update(complaint_counts_by_category(since=since, until=until))
    return {value: counts[value] for value in MonitoredCategory.values}
