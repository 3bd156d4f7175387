"""The stage badge, drawn in Python: a template include per row of the complaint board
cost more than the rest of the row."""

from django import template
from django.utils.html import format_html

from complaints.models import FINAL_STAGES

register = template.Library()


@register.filter
def stage_badge(complaint) -> str:
    if complaint.stage in FINAL_STAGES:
        css = "text-bg-success"
    elif complaint.escalated_at:
        css = "text-bg-danger"
    else:
        css = "text-bg-primary"
    return format_html('<span class="badge {}">{}</span>', css, complaint.get_stage_display())
