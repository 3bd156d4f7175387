from django import template

from overstone.roles import can as user_can

register = template.Library()


@register.filter
def can(user, capability: str) -> bool:
    """``{% if user|can:"log_incident" %}`` — the same answer the views give."""
    return user_can(user, capability)
