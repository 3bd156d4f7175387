from django import template

from privacy.models import LegalHold
from privacy.records import KINDS

register = template.Library()


@register.inclusion_tag("privacy/_legal_hold.html")
def legal_hold_banner(record):
    """A note on a record's page while it is on legal hold (one query)."""
    record_type = next(t for t, kind in KINDS.items() if isinstance(record, kind.model))
    holds = LegalHold.objects.filter(record_type=record_type, record_id=record.pk)
    return {"hold": holds.filter(lifted_at__isnull=True).first()}
