"""What complaints and concerns make searchable (see overstone.search): the records their
own pages show, so a complaint about the principal is found by the chair of governors
(and the trust safeguarding lead), not the principal, and a parent finds only the
concerns they raised."""

from complaints.models import OnlineComplaint
from complaints.selectors import concern_list, visible_complaints_q
from overstone.roles import Capability
from overstone.search import Hit, SearchSource, register

register(
    SearchSource(
        name="complaints",
        label="Online complaints",
        capabilities=(Capability.VIEW_COMPLAINTS, Capability.VIEW_ALL_COMPLAINTS),
        records=lambda user: OnlineComplaint.objects.filter(visible_complaints_q(user)),
        references=("reference",),
        fields=(
            "content",
            "posted_by_name",
            "account_handle",
            "pupils_about",
            "support_note",
            "outcome",
            "legal_adviser",
            "legal_advice_summary",
            "posted_by_parent__first_name",
            "posted_by_parent__last_name",
            "staff_about__first_name",
            "staff_about__last_name",
            "meetings__attendees",
            "meetings__notes",
            "meetings__outcome",
        ),
        describe=lambda complaint: Hit(
            title=f"{complaint.reference} · {complaint.get_platform_display()}"
            f"{' · ' + complaint.account_handle if complaint.account_handle else ''}",
            summary=complaint.content,
            url=complaint.get_absolute_url(),
            on=complaint.posted_at,
        ),
    ),
    SearchSource(
        name="concerns",
        label="Parents' concerns",
        capabilities=(Capability.MANAGE_COMPLAINTS, Capability.RAISE_CONCERN),
        records=lambda user: concern_list(user=user),
        references=("reference",),
        fields=(
            "subject",
            "details",
            "response",
            "raised_by__first_name",
            "raised_by__last_name",
        ),
        describe=lambda concern: Hit(
            title=f"{concern.reference} · {concern.subject}",
            summary=concern.details,
            url=concern.get_absolute_url(),
            on=concern.created_at,
        ),
    ),
)
