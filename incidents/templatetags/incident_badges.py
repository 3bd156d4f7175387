"""The severity badge, drawn in Python: a template include per row of the incident list
cost more than the rest of the row."""

from django import template
from django.utils.html import format_html

from incidents.models import Severity

register = template.Library()

SEVERITY_CLASSES = {
    Severity.CRITICAL: "text-bg-danger",
    Severity.HIGH: "text-bg-warning",
    Severity.MEDIUM: "text-bg-info",
}


@register.filter
def severity_badge(incident) -> str:
    css = SEVERITY_CLASSES.get(incident.severity, "text-bg-secondary")
    return format_html('<span class="badge {}">{}</span>', css, incident.get_severity_display())
