"""Complaints and concerns that involve a pupil, for the pupil's page (pupils.timeline).

Complaints name pupils as text (``pupils_about``), so a complaint about pupils is on the
page when it names the pupil's full name; a parent's concern, when one of the pupil's
parents raised it or it names the pupil. Each list is the complaints pages' own."""

from django.db.models import Q

from complaints.models import About
from complaints.selectors import complaint_list, concern_list
from pupils.timeline import TimelineEntry, register


@register
def complaints_about(pupil, user):
    complaints = complaint_list(user=user).filter(
        about=About.PUPILS, pupils_about__icontains=pupil.full_name
    )
    for complaint in complaints:
        yield TimelineEntry(
            on=complaint.posted_at,
            kind="Online complaint",
            reference=complaint.reference,
            summary=f"{complaint.get_category_display()} ({complaint.get_stage_display()})",
            url=complaint.get_absolute_url(),
        )


@register
def concerns_involving(pupil, user):
    concerns = concern_list(user=user).filter(
        Q(raised_by__in=pupil.parents.all())
        | Q(subject__icontains=pupil.full_name)
        | Q(details__icontains=pupil.full_name)
    )
    for concern in concerns.distinct():
        yield TimelineEntry(
            on=concern.created_at,
            kind="Parent's concern",
            reference=concern.reference,
            summary=f"{concern.subject} ({concern.get_status_display().lower()})",
            url=concern.get_absolute_url(),
        )
