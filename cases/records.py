"""The records a referral or task can be on, found by reference, and who may do what with
them: the record apps' own selectors and permissions, asked in this one place.

This app sits above incidents and complaints (docs/architecture.md) so that one
implementation serves both, while the two apps still import neither each other nor this.
"""

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from complaints import services as complaint_services
from complaints.models import OnlineComplaint
from complaints.permissions import can_act_on_complaint
from complaints.selectors import complaint_list
from incidents import services as incident_services
from incidents.models import Incident
from incidents.permissions import can_manage_incident
from incidents.selectors import incident_list
from overstone.workflow import Workflow


def case_record(*, user, reference: str) -> Model | None:
    """The incident or online complaint with this reference, if this user may see it."""
    return (
        incident_list(user=user).filter(reference=reference).first()
        or complaint_list(user=user).filter(reference=reference).first()
    )


def may_act_on(user, record: Model) -> bool:
    """Whether this user may add referrals and tasks to a record they can see, and record
    what came of them: whoever may act on the record itself, while it is not finished."""
    if isinstance(record, Incident):
        return can_manage_incident(user, record)
    return can_act_on_complaint(user, record)


def record_workflow(record: Model) -> Workflow:
    """The states of the incident or complaint (``overstone.workflow``)."""
    return (
        incident_services.WORKFLOW if isinstance(record, Incident) else complaint_services.WORKFLOW
    )


def may_complete_task(user, task, *, may_act: bool) -> bool:
    """An open task may be marked done by its owner, or by whoever may act on its record
    (``may_act``, from ``may_act_on``)."""
    return not task.is_done and (may_act or task.owner_id == user.pk)


def with_record_kind(queryset: QuerySet) -> QuerySet:
    """Referrals or tasks, each annotated ``on_incident`` so that a list links each to its
    record's page without a query per row."""
    return queryset.annotate(
        on_incident=Exists(Incident.objects.filter(reference=OuterRef("record_reference")))
    )


def visible_cases_q(user) -> Q:
    """Referrals and tasks on records this user may see, as a filter."""
    return Q(record_reference__in=incident_list(user=user).order_by().values("reference")) | Q(
        record_reference__in=complaint_list(user=user).order_by().values("reference")
    )


def about_principal(reference: str) -> bool:
    """Whether the record is a complaint about the principal (its e-mails are then kept
    out of the principal's list of failed e-mails)."""
    return OnlineComplaint.objects.filter(reference=reference, about_principal=True).exists()


def record_url(reference: str) -> str:
    """The record's page, for e-mails (whoever reads them still needs to be let in)."""
    for model in (Incident, OnlineComplaint):
        record = model.objects.filter(reference=reference).first()
        if record is not None:
            return record.get_absolute_url()
    return ""
