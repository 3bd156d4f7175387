import re

from django.db.models import Q, QuerySet
from django.http import Http404

from overstone.roles import Capability, can
from pupils.models import Pupil, YearGroup
from pupils.timeline import TimelineEntry, pupil_timeline, seen_by


def pupil_list(*, user, search: str = "", year_group: str = "", left: bool = False):
    """Pupils for the list page (leadership sees them all; no one else lists them)."""
    if not can(user, Capability.VIEW_PUPILS):
        return Pupil.objects.none()
    pupils = Pupil.objects.filter(left_on__isnull=not left)
    for word in search.split():
        pupils = pupils.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(number__iexact=word)
        )
    if year_group in YearGroup.values:
        pupils = pupils.filter(year_group=year_group)
    return pupils


def pupils_visible(*, user) -> QuerySet[Pupil]:
    """The pupils whose page this user may open (leavers too): all of them for
    leadership; for others those in the records they see (``register_seen``)."""
    if can(user, Capability.VIEW_PUPILS):
        return Pupil.objects.all()
    seen = Q(pk__in=[])
    for pupil_ids in (function(user) for function in seen_by):
        seen |= Q(pk__in=pupil_ids)
    return Pupil.objects.filter(seen)


def pupil_page(*, user, number: str) -> tuple[Pupil, list[TimelineEntry]]:
    """A pupil and their timeline as this user may see it; 404 for a staff member who
    logged nothing about them (they may not learn who else is on the roll)."""
    pupil = Pupil.objects.prefetch_related("parents").filter(number=number).first()
    if pupil is None:
        raise Http404("No such pupil")
    timeline = pupil_timeline(pupil=pupil, user=user)
    if not (can(user, Capability.VIEW_PUPILS) or timeline):
        raise Http404("No such pupil")
    return pupil, timeline


def pupils_to_pick() -> QuerySet[Pupil]:
    """The pupils a form may name: those on the roll."""
    return Pupil.objects.filter(left_on__isnull=True)


PICKED = re.compile(r"·\s*([A-Za-z0-9-]{1,20})\s*$")


def pupil_picked(text: str) -> tuple[bool, Pupil | None]:
    """Whether a name typed in a form was picked from the list (it ends with ``· number``,
    see ``Pupil.pick_label``), and the pupil on the roll it names (None if no such one)."""
    match = PICKED.search(text)
    if match is None:
        return False, None
    return True, pupils_to_pick().filter(number=match.group(1)).first()
