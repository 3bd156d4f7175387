"""Every write in training, one module per subject: ``parents`` (accounts and
invitations), ``bookings`` (sessions, bookings and their notices), ``induction`` and
``working_party``.

Each function is one transaction that records what matters (a session's own history,
everything else in the principal's audit log through ``overstone.audit``) and queues
e-mail through the outbox, so it leaves only after the change commits.
"""

from overstone.workflow import Refused


class TrainingError(Refused):
    """A request the rules refuse; the message is meant for the person who asked."""
