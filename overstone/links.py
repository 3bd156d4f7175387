"""An incident and an online complaint about the same post, linked from either page
(``overstone.models.RecordLink`` says why the link lives here and how it counts once).

Each app declares how one of its records is found by reference for a user, in its own
``links.py``, found at start-up as ``monitored.py`` is. Example, ``incidents/links.py``::

    from incidents.selectors import incident_list
    from overstone.links import register


    def incident_find(*, user, reference: str):
        return incident_list(user=user).filter(reference=reference).first()


    register("incident", incident_find)

A page then links its record to another by reference (``record_link_create``) and shows
the other one (``record_link_of``).
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.module_loading import autodiscover_modules

from overstone.audit import audit_change
from overstone.models import RecordLink
from overstone.workflow import Refused

KINDS = ("incident", "complaint")  # the two sides of a RecordLink

RecordFinder = Callable[..., object | None]
_finders: dict[str, RecordFinder] = {}


class LinkRefused(Refused):
    """The records cannot be linked (not found, same kind, or already linked)."""


def register(kind: str, find: RecordFinder) -> None:
    """``find(user=..., reference=...)``: the record of this kind, if this user may see it."""
    assert kind in KINDS, kind
    _finders[kind] = find


def autodiscover() -> None:
    autodiscover_modules("links")


def _kind_of(*, user, reference: str) -> str | None:
    for kind, find in _finders.items():
        if find(user=user, reference=reference) is not None:
            return kind
    return None


@transaction.atomic
def record_link_create(*, reference: str, other: str, actor) -> RecordLink:
    """Link the record ``reference`` (whose page the actor is on) to ``other``, which
    must be of the other kind, visible to the actor, and linked to nothing yet; audited
    under both references."""
    other = other.strip().upper()
    kind = _kind_of(user=actor, reference=reference)
    other_kind = _kind_of(user=actor, reference=other)
    wanted = next(k for k in KINDS if k != kind)
    if other_kind != wanted:
        raise LinkRefused(f"There is no {wanted} {other} that you can see.")
    references = {kind: reference, other_kind: other}
    for side, linked in [("incident", "incident_reference"), ("complaint", "complaint_reference")]:
        existing = RecordLink.objects.filter(**{linked: references[side]}).first()
        if existing is not None:
            raise LinkRefused(
                f"{references[side]} is already linked to {_other_side(existing, side)}."
            )
    try:
        with transaction.atomic():
            link = RecordLink.objects.create(
                incident_reference=references["incident"],
                complaint_reference=references["complaint"],
                linked_by=actor,
            )
    except IntegrityError:  # linked by someone else at the same moment
        raise LinkRefused(f"{reference} or {other} has just been linked to another.") from None
    for side in KINDS:
        audit_change(
            actor=actor,
            obj=link,
            reference=references[side],
            changes={"linked to": ["", _other_side(link, side)]},
        )
    return link


def _other_side(link: RecordLink, side: str) -> str:
    return link.complaint_reference if side == "incident" else link.incident_reference


def record_link_of(*, reference: str) -> str | None:
    """The reference of the record linked to this one, if any."""
    link = RecordLink.objects.filter(
        Q(incident_reference=reference) | Q(complaint_reference=reference)
    ).first()
    if link is None:
        return None
    return _other_side(link, "incident" if link.incident_reference == reference else "complaint")
