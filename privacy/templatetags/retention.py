from django import template

from overstone.personal_data import record_kind_of
from overstone.roles import Capability, can
from privacy.models import LegalHold

register = template.Library()


@register.inclusion_tag("privacy/_legal_hold.html", takes_context=True)
def legal_hold_banner(context, record):
    """A note on a record's page while it is on legal hold (one query). Why it is held (a
    claim, an investigation) is for the principal, who manages holds, alone."""
    holds = LegalHold.objects.filter(record_type=record_kind_of(record).name, record_id=record.pk)
    user = context["request"].user
    return {
        "hold": holds.filter(lifted_at__isnull=True).first(),
        "show_reason": can(user, Capability.MANAGE_DATA_PROTECTION),
    }
