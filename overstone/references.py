from django.db import transaction
from django.utils import timezone

from overstone.models import ReferenceSequence
from overstone.schools import reference_prefix


def reference_next(*, prefix: str) -> str:
    """The next reference for this year, e.g. ``INC-2026-0042`` (``OPS-INC-2026-0042`` in
    a school with a code); never handed out twice."""
    return reference_block(prefix=prefix, count=1)[0]


@transaction.atomic
def reference_block(*, prefix: str, count: int) -> list[str]:
    """The next ``count`` references of this year in one step (an import of thousands)."""
    year = timezone.localdate().year
    prefix = reference_prefix(prefix)
    ReferenceSequence.objects.get_or_create(prefix=prefix, year=year)
    sequence = ReferenceSequence.objects.select_for_update().get(prefix=prefix, year=year)
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return [f"{prefix}-{year}-{value:04d}" for value in range(first, first + count)]


class ReferenceConverter:
    """A record reference in a URL (``INC-2026-0042``), registered as ``<ref:reference>``.

    Anything else (a NUL byte, spaces, lower case, punctuation) is a 404 before any query
    runs: PostgreSQL refuses a NUL byte in a query with an error, which would be a 500.
    """

    regex = "[A-Z]+(?:-[A-Z0-9]+)+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
