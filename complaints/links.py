"""An online complaint can be linked to an incident about the same post (see
overstone.links)."""

from complaints.selectors import complaint_list
from overstone.links import register


def complaint_find(*, user, reference: str):
    return complaint_list(user=user).filter(reference=reference).first()


register("complaint", complaint_find)
