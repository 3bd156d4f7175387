"""Demo referrals and tasks: on open incidents and complaints, one referral answered, one
waiting, one past its date with no response (flagged), a LADO referral on the complaint
about the principal (the chair's), and tasks due, overdue and done."""

from datetime import timedelta

from django.utils import timezone

from cases import services
from cases.models import Agency, Referral
from complaints.models import FINAL_STAGES, OnlineComplaint
from incidents.models import Incident
from overstone.roles import Role


def seed(people: dict) -> str:
    if Referral.objects.exists():
        return "referrals and tasks already present"
    coordinator, principal = people[Role.COORDINATOR], people[Role.PRINCIPAL]
    slt, chair = people[Role.SLT], people[Role.CHAIR_OF_GOVERNORS]
    today = timezone.localdate()
    incidents = list(Incident.objects.exclude(status=Incident.Status.CLOSED).order_by("pk")[:2])
    complaint = (
        OnlineComplaint.objects.exclude(stage__in=FINAL_STAGES)
        .filter(about_principal=False)
        .order_by("pk")
        .first()
    )
    about_principal = OnlineComplaint.objects.filter(about_principal=True).first()
    created = 0
    if len(incidents) == 2:
        late, answered = incidents
        services.referral_create(
            reference=late.reference,
            agency=Agency.ISP,
            referred_on=today - timedelta(days=10),
            response_due=today - timedelta(days=3),
            agency_reference="TKT-58120",
            contact="Filtering helpdesk",
            actor=coordinator,
        )
        police = services.referral_create(
            reference=answered.reference,
            agency=Agency.POLICE,
            referred_on=today - timedelta(days=14),
            response_due=today - timedelta(days=7),
            agency_reference="CAD-2291",
            contact="PC Ellis, schools liaison",
            actor=coordinator,
        )
        services.referral_record_response(
            referral=police,
            responded_on=today - timedelta(days=8),
            outcome="Words of advice given to the pupil's family; no further action.",
            actor=coordinator,
        )
        services.case_task_create(
            reference=late.reference,
            what="Check the filter now blocks the site from every IT suite PC",
            owner=coordinator,
            due_on=today,
            actor=coordinator,
        )
        services.case_task_create(
            reference=answered.reference,
            what="Tell the pupil's parents what the police advised",
            owner=principal,
            due_on=today - timedelta(days=2),
            actor=coordinator,
        )
        done = services.case_task_create(
            reference=answered.reference,
            what="Save the police reference on the pupil's file",
            owner=coordinator,
            due_on=today - timedelta(days=5),
            actor=coordinator,
        )
        services.case_task_complete(task=done, actor=coordinator)
        created += 5
    if complaint is not None:
        services.referral_create(
            reference=complaint.reference,
            agency=Agency.PLATFORM,
            referred_on=today - timedelta(days=1),
            response_due=today + timedelta(days=6),
            contact="Reported through the platform's form",
            actor=principal,
        )
        services.case_task_create(
            reference=complaint.reference,
            what="Arrange a meeting with the parents",
            owner=slt,
            due_on=today + timedelta(days=3),
            actor=principal,
        )
        created += 2
    if about_principal is not None:
        services.referral_create(
            reference=about_principal.reference,
            agency=Agency.LADO,
            referred_on=today - timedelta(days=2),
            response_due=today + timedelta(days=1),
            contact="Local authority designated officer",
            actor=chair,
        )
        created += 1
    return f"{created} referrals and tasks"
