"""The referrals and tasks on a record, shown on its own page by one include
(``cases/_case.html``), so the record apps' views need not know of them."""

from django import template
from django.utils import timezone

from cases.records import may_act_on, may_complete_task
from cases.selectors import referrals_on, tasks_on

register = template.Library()


@register.inclusion_tag("cases/_case_panel.html", takes_context=True)
def case_panel(context, record):
    user = context["request"].user
    may_act = may_act_on(user, record)
    tasks = list(tasks_on(user=user, reference=record.reference))
    for task in tasks:
        task.may_complete = may_complete_task(user, task, may_act=may_act)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "record": record,
        "referrals": referrals_on(user=user, reference=record.reference),
        "tasks": tasks,
        "may_act": may_act,
        "today": timezone.localdate(),
    }


@register.filter
def overdue(item, today) -> bool:
    """A referral or task past its date (``is_overdue``)."""
    return item.is_overdue(today)
