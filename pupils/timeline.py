"""What the record apps hold about a pupil, for the pupil's page, newest first.

The pupils app sits below the record apps, so it cannot ask them; each declares its
entries in ``<app>/pupil_timeline.py``, found at start-up as ``personal_data.py`` is, and
applies its own visibility rule (a staff member sees only the incidents they logged)::

    from pupils.timeline import TimelineEntry, register

    @register
    def incidents_about(pupil, user):
        for incident in incident_list(user=user).filter(pupils__pupil=pupil):
            yield TimelineEntry(
                on=incident.occurred_at, kind="e-Safety incident",
                reference=incident.reference, summary=incident.category_label,
                url=incident.get_absolute_url(),
            )

A new kind of record (agreements, say) adds its own module; the page needs no change.

An app whose records open a pupil's page to someone who may not see every pupil (staff:
the incidents they logged) also declares which pupils those are, as ids, so that search
finds the same pupils the page opens for them::

    @register_seen
    def pupils_in_incidents(user):
        return incident_list(user=user).values("pupils__pupil")
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.text import Truncator

SUMMARY_CHARS = 160


@dataclass(frozen=True)
class TimelineEntry:
    on: date | datetime
    kind: str
    reference: str
    summary: str  # at most SUMMARY_CHARS characters shown
    url: str  # "" when the user may not open the record: shown without a link

    def __post_init__(self):
        # Django's truncation reads every character (about 60 µs), most summaries are short
        # and a pupil may have hundreds of entries: only a long one is cut.
        if len(self.summary) > SUMMARY_CHARS:
            object.__setattr__(self, "summary", Truncator(self.summary).chars(SUMMARY_CHARS))

    @property
    def sort_key(self) -> datetime:
        if isinstance(self.on, datetime):
            return self.on
        return timezone.make_aware(datetime.combine(self.on, time.max))


Provider = Callable[..., Iterable[TimelineEntry]]  # (pupil, user)
providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Declare a source of timeline entries (usable as a decorator)."""
    if provider not in providers:
        providers.append(provider)
    return provider


Seen = Callable[..., object]  # (user) -> a query of pupil ids
seen_by: list[Seen] = []


def register_seen(function: Seen) -> Seen:
    """Declare which pupils a user sees records about (usable as a decorator)."""
    if function not in seen_by:
        seen_by.append(function)
    return function


def autodiscover() -> None:
    autodiscover_modules("pupil_timeline")


def pupil_timeline(*, pupil, user) -> list[TimelineEntry]:
    """Every entry about this pupil that this user may see, newest first."""
    entries = [entry for provider in providers for entry in provider(pupil, user)]
    return sorted(entries, key=lambda entry: entry.sort_key, reverse=True)
