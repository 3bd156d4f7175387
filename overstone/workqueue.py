"""What needs each person now: the home page's work queue and the navigation's badge.

The kernel names no app: each app declares the work it gives people in its own
``work.py``, found at start-up as ``personal_data.py`` is. Example,
``reporting/work.py``::

    from overstone.workqueue import Urgency, WorkItem, register

    @register
    def policies_to_review(user) -> list[WorkItem]:
        if not can(user, Capability.MANAGE_POLICIES):
            return []  # before any query: most people have none of this work
        late = PolicyDocument.objects.filter(review_due__lt=timezone.localdate()).count()
        return [WorkItem("Policies overdue for review", late, Urgency.OVERDUE,
                         reverse("reporting:policy_list"), "Review them")] if late else []

A declaration takes the user and returns their items, counting rather than listing, so
that a page costs the same number of queries whatever the number of records. Nothing
is cached: each person's work is counted for them, on their request.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from django.utils.module_loading import autodiscover_modules


class Urgency(IntEnum):
    """Most urgent first. ``NOTE`` is for information (a parent's next booking): it is
    listed but does not count towards the badge."""

    OVERDUE = 0
    WAITING = 1
    DUE_SOON = 2
    NOTE = 3


@dataclass(frozen=True)
class WorkItem:
    title: str
    count: int
    urgency: Urgency
    url: str | None
    action: str
    detail: str = ""

    @property
    def is_overdue(self) -> bool:
        return self.urgency == Urgency.OVERDUE


WorkSource = Callable[..., list[WorkItem]]

# Keyed by the function's qualified name, so importing a declaration twice lists once.
_sources: dict[str, WorkSource] = {}


def register(source: WorkSource) -> WorkSource:
    _sources[f"{source.__module__}.{source.__qualname__}"] = source
    return source


def autodiscover() -> None:
    autodiscover_modules("work")


def work_queue(user) -> list[WorkItem]:
    """This user's work, most urgent first; declaration order within one urgency.
    Kept on the user object (one request's), so the page and its badge count once."""
    if not user.is_authenticated:
        return []
    queue = getattr(user, "_overstone_work", None)
    if queue is None:
        items = [item for source in _sources.values() for item in source(user) if item.count]
        queue = sorted(items, key=lambda item: item.urgency)
        user._overstone_work = queue
    return queue


def work_count(user) -> int:
    """The badge: everything that waits on this person, notes left out."""
    return sum(item.count for item in work_queue(user) if item.urgency < Urgency.NOTE)
