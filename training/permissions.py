"""Who may book which sessions, and which working-party minutes a person may read."""

from overstone.roles import Capability, can
from training.models import Audience

# A session's audience, and what a person must be able to do to book it.
AUDIENCE_CAPABILITY = {
    Audience.PARENTS: Capability.BOOK_TRAINING,
    Audience.STAFF: Capability.BOOK_STAFF_TRAINING,
}


def bookable_audiences(user) -> list[str]:
    """Parents book parents' sessions, school personnel staff sessions (someone who is
    both books either)."""
    return [audience for audience, needs in AUDIENCE_CAPABILITY.items() if can(user, needs)]


def may_book(user, audience: str) -> bool:
    return audience in bookable_audiences(user)


def reads_all_minutes(user) -> bool:
    return can(user, Capability.READ_MINUTES)
