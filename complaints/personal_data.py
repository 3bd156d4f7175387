"""What complaints and concerns hold about people, for data protection (see
overstone.personal_data).

The records and their visibility are the complaint pages' own: a complaint about the
principal is the chair of governors' alone, so the principal's data-protection pages
neither list, hold, anonymise nor search it, and say so.
"""

from django.db.models import F, Max, Q
from django.urls import reverse

from complaints.models import FINAL_STAGES, Concern, OnlineComplaint
from complaints.selectors import concern_list, visible_complaints_q
from complaints.services import complaint_anonymise, concern_anonymise
from overstone.personal_data import Mention, NotPersonal, RecordKind, SubjectAccessSource, register
from overstone.roles import Role, user_roles


def _complaints(user):
    return OnlineComplaint.objects.filter(visible_complaints_q(user))


def _conflict_of_interest(user) -> str:
    if Role.PRINCIPAL in user_roles(user):
        return (
            "Complaints about the principal are left out (conflict of interest): the chair "
            "of governors, who alone may open them, handles their data protection."
        )
    return ""


def _answered(concerns):
    answered = Q(events__to_status=Concern.Status.ANSWERED)
    return concerns.filter(status=Concern.Status.ANSWERED).annotate(
        finished=Max("events__at", filter=answered)
    )


def _concerns(user):
    return concern_list(user=user)


register(
    RecordKind(
        name="complaint",
        label="Online complaint",
        model=OnlineComplaint,
        records=_complaints,
        finished=lambda complaints: complaints.filter(stage__in=FINAL_STAGES).annotate(
            finished=F("finished_at")
        ),
        anonymise=lambda complaint, actor: complaint_anonymise(complaint=complaint, actor=actor),
        retention_key="complaint",
        url_name="complaints:detail",
        finished_label="online complaints, after they are resolved or closed,",
        withheld=_conflict_of_interest,
    ),
    RecordKind(
        name="concern",
        label="Parent's concern",
        model=Concern,
        records=_concerns,
        finished=_answered,
        anonymise=lambda concern, actor: concern_anonymise(concern=concern, actor=actor),
        retention_key="concern",
        url_name="complaints:concern_detail",
        finished_label="parents' concerns, after they are answered,",
    ),
    SubjectAccessSource(
        label="Online complaint",
        model=OnlineComplaint,
        records=_complaints,
        text_fields=(
            "content",
            "posted_by_name",
            "account_handle",
            "pupils_about",
            "support_note",
            "outcome",
            "legal_adviser",
            "legal_advice_summary",
            "meetings__attendees",
            "meetings__notes",
            "meetings__outcome",
            "removal_requests__outcome_note",
            "events__summary",
            "evidence__original_name",
        ),
        account_fields=("reported_by", "posted_by_parent", "staff_about"),
        date_field="posted_at",
        describe=lambda complaint: Mention(
            "Online complaint",
            complaint.reference,
            complaint.posted_at,
            f"{complaint.get_platform_display()}: {complaint.content}",
            complaint.get_absolute_url(),
        ),
        withheld=_conflict_of_interest,
    ),
    SubjectAccessSource(
        label="Parent's concern",
        model=Concern,
        records=_concerns,
        text_fields=("subject", "details", "response", "events__summary"),
        account_fields=("raised_by",),
        date_field="created_at",
        describe=lambda concern: Mention(
            "Parent's concern",
            concern.reference,
            concern.created_at,
            f"{concern.subject}. {concern.details}",
            reverse("complaints:concern_detail", args=[concern.reference]),
        ),
    ),
    NotPersonal(
        "complaints.Evidence",
        ("uploaded_by",),
        "Who attached a file: the complaint's chronology, erased with it on anonymisation.",
    ),
    NotPersonal(
        "complaints.Meeting",
        ("recorded_by",),
        "Who recorded the meeting: the school's record of its staff at work (who attended "
        "and what was said are searched, with the complaint).",
    ),
    NotPersonal(
        "complaints.ComplaintEvent",
        ("actor",),
        "Who moved the complaint on: the school's record of its staff at work (what each "
        "line says is searched, with the complaint).",
    ),
    NotPersonal(
        "complaints.ConcernEvent",
        ("actor",),
        "Who moved the concern on: the parent who raised it is found through the concern.",
    ),
    NotPersonal(
        "complaints.CalendarEntry", ("name",), "The name of a term or holiday, not a person."
    ),
)
