"""Which complaints each person may see and act on (the per-object half of roles.py).

- The principal and SLT see every complaint, except that a complaint about the
  principal is hidden from the principal: it goes to the chair of governors instead.
- The chair of governors sees complaints from the moment the meeting with them is
  arranged (or, failing that, recorded as held), and every complaint about the principal.
  Other governors see none.
- The trust safeguarding lead sees every complaint, those about the principal too, and
  handles none: they read, the school acts.
- Whoever handles a complaint may act on it until it is finished.
- The principal and SLT may add a note to one they handle, finished or not (it changes
  nothing but the chronology).
"""

from complaints.models import OnlineComplaint
from overstone.roles import Capability, Role, can, user_roles


def can_view_complaint(user, complaint: OnlineComplaint) -> bool:
    return can(user, Capability.VIEW_ALL_COMPLAINTS) or can_handle_complaint(user, complaint)


def can_handle_complaint(user, complaint: OnlineComplaint) -> bool:
    """Whether the complaint is this person's to work on (its stages, letters, bundle)."""
    roles = user_roles(user)
    if Role.CHAIR_OF_GOVERNORS in roles and (
        complaint.about_principal or complaint.escalated_at is not None
    ):
        return True
    if not can(user, Capability.MANAGE_COMPLAINTS):
        return False
    return not (complaint.about_principal and Role.PRINCIPAL in roles)


def can_act_on_complaint(user, complaint: OnlineComplaint) -> bool:
    return not complaint.is_finished and can_handle_complaint(user, complaint)


def can_note_complaint(user, complaint: OnlineComplaint) -> bool:
    return can(user, Capability.MANAGE_COMPLAINTS) and can_handle_complaint(user, complaint)
