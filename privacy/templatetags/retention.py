from django import template

from overstone.roles import Capability, can
from privacy.models import LegalHold
from privacy.records import KINDS

register = template.Library()


@register.inclusion_tag("privacy/_legal_hold.html", takes_context=True)
def legal_hold_banner(context, record):
    """A note on a record's page while it is on legal hold (one query). Why it is held (a
    claim, an investigation) is for the principal, who manages holds, alone."""
    record_type = next(t for t, kind in KINDS.items() if isinstance(record, kind.model))
    holds = LegalHold.objects.filter(record_type=record_type, record_id=record.pk)
    user = context["request"].user
    return {
        "hold": holds.filter(lifted_at__isnull=True).first(),
        "show_reason": can(user, Capability.MANAGE_DATA_PROTECTION),
    }
