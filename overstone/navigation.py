"""The navigation, grouped by task: one declared list, the only place a page is added.

Each section becomes a dropdown in the top bar (a plain link when a role has one page
in it) and a group of links on the home page, below the work queue; a person sees only
the links their role may open. To add a page, add a ``NavLink`` to its section.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.module_loading import import_string

from overstone.roles import Capability, can


@dataclass(frozen=True)
class NavLink:
    """``also``: the dotted path of a predicate ``(*, user) -> bool`` that must hold too, for a
    page only some of a role open (the working party's minutes, for a parent who is a
    parent representative); named by string, as tasks are, so the kernel imports no app."""

    capability: Capability
    title: str
    description: str
    url_name: str
    also: str = ""

    def shown_to(self, user) -> bool:
        return can(user, self.capability) and (not self.also or import_string(self.also)(user=user))

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class NavSection:
    title: str
    links: tuple[NavLink, ...]


NAVIGATION: tuple[NavSection, ...] = (
    NavSection(
        "Safeguarding records",
        (
            NavLink(
                Capability.RECEIVE_INCIDENT_ALERTS,
                "Incident alerts",
                "New incidents announced to you, and how you want them.",
                "incidents:alerts",
            ),
            NavLink(
                Capability.LOG_INCIDENT,
                "e-Safety incidents",
                "Log an incident you saw, attach evidence, follow it to the principal.",
                "incidents:list",
            ),
            NavLink(
                Capability.VIEW_ALL_INCIDENTS,
                "e-Safety incidents",
                "Every incident of the school you are working in, to read.",
                "incidents:list",
            ),
            NavLink(
                Capability.VIEW_PUPILS,
                "Pupils",
                "Each pupil's incidents, complaints and concerns, newest first.",
                "pupils:list",
            ),
            NavLink(
                Capability.WORK_ON_CASES,
                "My tasks",
                "Tasks on incidents and complaints given to you.",
                "cases:my_tasks",
            ),
            NavLink(
                Capability.WORK_ON_CASES,
                "Referrals",
                "Referrals to the police, LADO, HR, platforms and the ISP.",
                "cases:referral_list",
            ),
        ),
    ),
    NavSection(
        "Complaints",
        (
            NavLink(
                Capability.MANAGE_COMPLAINTS,
                "Online complaints",
                "Walk each online complaint through the policy's escalation path.",
                "complaints:board",
            ),
            NavLink(
                Capability.VIEW_ALL_COMPLAINTS,
                "Online complaints",
                "Every complaint of the school you are working in, to read.",
                "complaints:board",
            ),
            NavLink(
                Capability.MANAGE_COMPLAINTS,
                "Concerns from parents",
                "Concerns raised privately through the school's complaints route.",
                "complaints:concern_manage",
            ),
            NavLink(
                Capability.JOIN_ESCALATED_COMPLAINTS,
                "Escalated complaints",
                "Complaints whose meeting with the chair of governors is arranged or held.",
                "complaints:escalated",
            ),
            NavLink(
                Capability.REPORT_ALLEGATION,
                "Report an online allegation",
                "Tell the principal about an allegation or comment posted about you.",
                "complaints:report",
            ),
            NavLink(
                Capability.REPORT_ALLEGATION,
                "Allegations you reported",
                "What you have told the principal about, and where each has reached.",
                "complaints:mine",
            ),
            NavLink(
                Capability.RAISE_CONCERN,
                "Raise a concern privately",
                "Speak to the principal through the school's complaints route.",
                "complaints:concern_list",
            ),
        ),
    ),
    NavSection(
        "Training",
        (
            NavLink(
                Capability.MANAGE_TRAINING,
                "Training programme",
                "Awareness sessions for parents, bookings, waitlists and attendance.",
                "training:session_list",
            ),
            NavLink(
                Capability.MANAGE_TRAINING,
                "Parents and carers",
                "The parents' accounts, invitations and imports.",
                "training:parent_list",
            ),
            NavLink(
                Capability.MANAGE_TRAINING,
                "Induction matrix",
                "Which induction topics each member of staff has completed.",
                "training:induction_matrix",
            ),
            NavLink(
                Capability.MANAGE_TRAINING,
                "Induction validity",
                "How long each induction topic stays valid.",
                "training:induction_validity",
            ),
            NavLink(
                Capability.RECORD_INDUCTION,
                "My induction training",
                "Record the induction topics you have completed.",
                "training:induction_mine",
            ),
            NavLink(
                Capability.BOOK_TRAINING,
                "Social-media awareness training",
                "Book or cancel a place at a session for parents and carers.",
                "training:upcoming",
            ),
            NavLink(
                Capability.BOOK_STAFF_TRAINING,
                "Staff awareness sessions",
                "Book a place at a session for school personnel.",
                "training:upcoming",
            ),
        ),
    ),
    NavSection(
        "Governance",
        (
            NavLink(
                Capability.VIEW_DASHBOARD,
                "Dashboard",
                "Monitored counts for this school year against the last.",
                "reporting:dashboard",
            ),
            NavLink(
                Capability.VIEW_TRUST_FIGURES,
                "Trust dashboard",
                "Every school's figures side by side, and the trust's annual report.",
                "trust:dashboard",
            ),
            NavLink(
                Capability.READ_MINUTES,
                "Working party",
                "Termly meetings, minutes, decisions and actions.",
                "training:meeting_list",
            ),
            NavLink(
                Capability.READ_OWN_MINUTES,
                "Working party",
                "The minutes of the working-party meetings you attended.",
                "training:meeting_list",
                also="training.selectors.may_open_minutes",
            ),
            NavLink(
                Capability.EDIT_MINUTES,
                "Working-party members",
                "Who sits on the working party, and in which place.",
                "training:member_list",
            ),
            NavLink(
                Capability.READ_ANNUAL_REPORT,
                "Annual report",
                "The governors' report on the success and development of the policy.",
                "reporting:report_list",
            ),
            NavLink(
                Capability.VIEW_DASHBOARD,
                "Policy register",
                "Policies, their owners and review dates.",
                "reporting:policy_list",
            ),
            NavLink(
                Capability.MANAGE_AGREEMENTS,
                "Agreements register",
                "Who has signed the Acceptable Use, Home-School and consent agreements.",
                "agreements:register",
            ),
            NavLink(
                Capability.SIGN_AGREEMENTS,
                "My agreements",
                "The agreements you are asked to sign, for yourself or your children.",
                "agreements:mine",
            ),
            NavLink(
                Capability.READ_PUBLISHED_POLICIES,
                "School policies",
                "This policy and the Complaints policy, as the school publishes them.",
                "reporting:published_list",
            ),
            NavLink(
                Capability.ANSWER_SURVEYS,
                "Surveys",
                "Surveys the school asks you to answer.",
                "surveys:mine",
            ),
            NavLink(
                Capability.MANAGE_SURVEYS,
                "Surveys and results",
                "Surveys for parents, staff, governors and pupils, and their results.",
                "surveys:list",
            ),
            NavLink(
                Capability.MANAGE_SCHOOL_COUNCIL,
                "School Council",
                "What pupils raised about online safety, and the school's response.",
                "surveys:council_list",
            ),
            NavLink(
                Capability.VIEW_EFFECTIVENESS_CHECKS,
                "Effectiveness checks",
                "The annual e-safety audit, filtering reviews, observations and conversations.",
                "effectiveness:check_list",
            ),
            NavLink(
                Capability.VIEW_RISK_ASSESSMENTS,
                "Risk assessments",
                "Activities, their risks and controls, owners and review dates.",
                "effectiveness:risk_list",
            ),
        ),
    ),
    NavSection(
        "Administration",
        (
            NavLink(
                Capability.MANAGE_DATA_PROTECTION,
                "Data protection",
                "Records past retention, legal holds and subject-access requests.",
                "privacy:retention",
            ),
            NavLink(
                Capability.VIEW_AUDIT_LOG,
                "Audit log",
                "Who viewed, downloaded or exported safeguarding records, when and from where.",
                "audit_log",
            ),
            NavLink(
                Capability.VIEW_FAILED_EMAILS,
                "Failed e-mails",
                "E-mails that could not be sent after every retry.",
                "failed_emails",
            ),
            NavLink(
                Capability.RESET_TWO_FACTOR,
                "Two-factor logins",
                "Reset the second factor of someone who lost their phone and backup codes.",
                "two_factor_users",
            ),
            NavLink(
                Capability.MANAGE_SCHOOL_CALENDAR,
                "School calendar",
                "Holidays and closures, which complaint deadlines skip.",
                "complaints:calendar",
            ),
        ),
    ),
)


def navigation_for(user) -> list[NavSection]:
    """The sections and links this user may open; sections left empty are dropped. A page
    with a link for each of several roles (in their words) is shown once, by the first."""
    sections = []
    seen = set()
    for section in NAVIGATION:
        links = []
        for link in section.links:
            if link.url_name not in seen and link.shown_to(user):
                seen.add(link.url_name)
                links.append(link)
        if links:
            sections.append(NavSection(section.title, tuple(links)))
    return sections


def current_link(sections: list[NavSection], path: str) -> NavLink | None:
    """The link whose page this is, or whose page this one lies under (the longest
    address that starts the path: /training/working-party/3/ is under Working party,
    not under /training/)."""
    links = [link for section in sections for link in section.links]
    under = [link for link in links if path == link.url or path.startswith(link.url)]
    return max(under, key=lambda link: len(link.url), default=None)
