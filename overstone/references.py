from django.db import transaction
from django.utils import timezone

from overstone.models import ReferenceSequence


@transaction.atomic
def reference_next(*, prefix: str) -> str:
    """The next reference for this year, e.g. ``INC-2026-0042``; never handed out twice."""
    year = timezone.localdate().year
    ReferenceSequence.objects.get_or_create(prefix=prefix, year=year)
    sequence = ReferenceSequence.objects.select_for_update().get(prefix=prefix, year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"{prefix}-{year}-{sequence.last_value:04d}"
