from django.db import transaction
from django.utils import timezone

from overstone.models import ReferenceSequence


def reference_next(*, prefix: str) -> str:
    """The next reference for this year, e.g. ``INC-2026-0042``; never handed out twice."""
    return reference_block(prefix=prefix, count=1)[0]


@transaction.atomic
def reference_block(*, prefix: str, count: int) -> list[str]:
    """The next ``count`` references of this year in one step (an import of thousands)."""
    year = timezone.localdate().year
    ReferenceSequence.objects.get_or_create(prefix=prefix, year=year)
    sequence = ReferenceSequence.objects.select_for_update().get(prefix=prefix, year=year)
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return [f"{prefix}-{year}-{value:04d}" for value in range(first, first + count)]
