"""Each role's work, as the home page lists it and the navigation links it.

An item without a URL name is work the policy gives the role that a later release
of Overstone brings; the home page names it without a link.
"""

from dataclasses import dataclass

from overstone.roles import Capability, can


@dataclass(frozen=True)
class WorkItem:
    capability: Capability
    title: str
    description: str
    url_name: str | None = None


WORK = [
    WorkItem(
        Capability.VIEW_DASHBOARD,
        "Dashboard",
        "Monitored counts for this school year against the last.",
        "reporting:dashboard",
    ),
    WorkItem(
        Capability.LOG_INCIDENT,
        "e-Safety incidents",
        "Log an incident you saw, attach evidence, follow it to the principal.",
        "incidents:list",
    ),
    WorkItem(
        Capability.MANAGE_COMPLAINTS,
        "Online complaints",
        "Walk each online complaint through the policy's escalation path.",
        "complaints:board",
    ),
    WorkItem(
        Capability.JOIN_ESCALATED_COMPLAINTS,
        "Escalated complaints",
        "Complaints whose meeting with the chair of governors is arranged or held.",
        "complaints:escalated",
    ),
    WorkItem(
        Capability.REPORT_ALLEGATION,
        "Report an online allegation",
        "Tell the principal about an allegation or comment posted about you.",
        "complaints:report",
    ),
    WorkItem(
        Capability.REPORT_ALLEGATION,
        "Allegations you reported",
        "What you have told the principal about, and where each has reached.",
        "complaints:mine",
    ),
    WorkItem(
        Capability.MANAGE_TRAINING,
        "Training programme",
        "Awareness sessions for parents, bookings, waitlists and attendance.",
        "training:session_list",
    ),
    WorkItem(
        Capability.RECORD_INDUCTION,
        "My induction training",
        "Record the induction topics you have completed.",
        "training:induction_mine",
    ),
    WorkItem(
        Capability.BOOK_TRAINING,
        "Social-media awareness training",
        "Book or cancel a place at a session for parents and carers.",
        "training:upcoming",
    ),
    WorkItem(
        Capability.BOOK_STAFF_TRAINING,
        "Staff awareness sessions",
        "Book or cancel a place at a session for school personnel.",
        "training:upcoming",
    ),
    WorkItem(
        Capability.RAISE_CONCERN,
        "Raise a concern privately",
        "Speak to the principal through the school's complaints route.",
        "complaints:concern_list",
    ),
    WorkItem(
        Capability.READ_MINUTES,
        "Working party",
        "Termly meetings, minutes, decisions and actions.",
        "training:meeting_list",
    ),
    WorkItem(
        Capability.READ_ANNUAL_REPORT,
        "Annual report",
        "The governors' report on the success and development of the policy.",
        "reporting:report_list",
    ),
    WorkItem(
        Capability.MANAGE_POLICIES,
        "Policy register",
        "Policies, their owners and review dates.",
        "reporting:policy_list",
    ),
    WorkItem(
        Capability.VIEW_AUDIT_LOG,
        "Audit log",
        "Who viewed, downloaded or exported safeguarding records, when and from where.",
        "audit_log",
    ),
    WorkItem(
        Capability.VIEW_FAILED_EMAILS,
        "Failed e-mails",
        "E-mails that could not be sent after every retry.",
        "failed_emails",
    ),
    WorkItem(
        Capability.MANAGE_DATA_PROTECTION,
        "Data protection",
        "Records past retention, legal holds and subject-access requests.",
        "privacy:retention",
    ),
    WorkItem(
        Capability.RESET_TWO_FACTOR,
        "Two-factor logins",
        "Reset the second factor of someone who lost their phone and backup codes.",
        "two_factor_users",
    ),
]


def work_for(user) -> list[WorkItem]:
    return [item for item in WORK if can(user, item.capability)]
