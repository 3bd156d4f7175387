"""Parent accounts for the pupils' parents, provided by the app that owns them.

Parent accounts and their invitations belong to training (their profile, the invitation
e-mail, the parents list); the pupils app sits below it and cannot call it. Training
provides the function at start-up (``TrainingConfig.ready``); the pupil import hands it
the parents of the file and links the accounts it returns to the children::

    parent_accounts_provide(parents_ensure)
    accounts = parent_accounts_ensure(rows=[ParentRow(...)], actor=user)  # {email: user}

The provider creates and invites the accounts that do not exist yet (one invitation,
as the parents import does), leaves existing parents as they are, and raises
``RowProblems`` for an address that belongs to an account that is not a parent's.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ParentRow:
    line: int  # the first line of the file naming this parent
    first_name: str
    last_name: str
    email: str  # lower case
    year_group: str  # their (first) child's


_provider: list[Callable] = []


def parent_accounts_provide(function: Callable) -> None:
    _provider[:] = [function]


def parent_accounts_ensure(*, rows: list[ParentRow], actor) -> dict:
    """The parent account for each row's e-mail address, created and invited if new."""
    if not _provider:
        raise RuntimeError("No app provides parent accounts (training is not installed).")
    return _provider[0](rows=rows, actor=actor)
