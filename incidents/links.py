"""An incident can be linked to an online complaint about the same post (see
overstone.links)."""

from incidents.selectors import incident_list
from overstone.links import register


def incident_find(*, user, reference: str):
    return incident_list(user=user).filter(reference=reference).first()


register("incident", incident_find)
