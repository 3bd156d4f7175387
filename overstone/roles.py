"""Who may do what: the one place that answers it.

Views name a capability (``CapabilityRequiredMixin``), templates ask ``user|can:"..."``
and the access-matrix test walks every URL as every role. Safeguarding data is
need-to-know: parents never see incidents or complaints; governors see aggregates
and minutes, not names.
"""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    PRINCIPAL = "principal", "Principal"
    SLT = "slt", "Senior leadership team"
    COORDINATOR = "coordinator", "e-Safety coordinator"
    STAFF = "staff", "School personnel"
    GOVERNOR = "governor", "Governor"
    CHAIR_OF_GOVERNORS = "chair_of_governors", "Chair of governors"
    PARENT = "parent", "Parent / carer"
    # Trust roles, held in every school of the trust (overstone.schools).
    TRUST_LEAD = "trust_lead", "Trust safeguarding lead"
    TRUST_EXECUTIVE = "trust_executive", "Trust executive"
    TRUSTEE = "trustee", "Trustee"


class Capability(StrEnum):
    LOG_INCIDENT = "log_incident"
    VIEW_ALL_INCIDENTS = "view_all_incidents"
    VIEW_ALL_COMPLAINTS = "view_all_complaints"
    MANAGE_INCIDENTS = "manage_incidents"
    REPORT_ALLEGATION = "report_allegation"
    MANAGE_COMPLAINTS = "manage_complaints"
    JOIN_ESCALATED_COMPLAINTS = "join_escalated_complaints"
    BOOK_TRAINING = "book_training"
    RAISE_CONCERN = "raise_concern"
    MANAGE_TRAINING = "manage_training"
    RECORD_INDUCTION = "record_induction"
    READ_MINUTES = "read_minutes"
    EDIT_MINUTES = "edit_minutes"
    VIEW_DASHBOARD = "view_dashboard"
    GENERATE_ANNUAL_REPORT = "generate_annual_report"
    READ_ANNUAL_REPORT = "read_annual_report"
    MANAGE_POLICIES = "manage_policies"
    VIEW_COMPLAINTS = "view_complaints"
    MANAGE_SCHOOL_CALENDAR = "manage_school_calendar"
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_DATA_PROTECTION = "manage_data_protection"
    RESET_TWO_FACTOR = "reset_two_factor"
    VIEW_FAILED_EMAILS = "view_failed_emails"
    SIGN_AGREEMENTS = "sign_agreements"
    MANAGE_AGREEMENTS = "manage_agreements"
    READ_PUBLISHED_POLICIES = "read_published_policies"
    BOOK_STAFF_TRAINING = "book_staff_training"
    READ_OWN_MINUTES = "read_own_minutes"
    SEARCH = "search"
    WORK_ON_CASES = "work_on_cases"
    RECEIVE_INCIDENT_ALERTS = "receive_incident_alerts"
    VIEW_PUPILS = "view_pupils"
    MANAGE_PUPILS = "manage_pupils"
    MANAGE_SURVEYS = "manage_surveys"
    ANSWER_SURVEYS = "answer_surveys"
    MANAGE_SCHOOL_COUNCIL = "manage_school_council"
    VIEW_EFFECTIVENESS_CHECKS = "view_effectiveness_checks"
    MANAGE_EFFECTIVENESS_CHECKS = "manage_effectiveness_checks"
    VIEW_RISK_ASSESSMENTS = "view_risk_assessments"
    MANAGE_RISK_ASSESSMENTS = "manage_risk_assessments"
    VIEW_TRUST_FIGURES = "view_trust_figures"


SCHOOL_PERSONNEL = frozenset({Role.PRINCIPAL, Role.SLT, Role.COORDINATOR, Role.STAFF})
LEADERSHIP = frozenset({Role.PRINCIPAL, Role.SLT, Role.COORDINATOR})
GOVERNORS = frozenset({Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS})
TRUST_ROLES = frozenset({Role.TRUST_LEAD, Role.TRUST_EXECUTIVE, Role.TRUSTEE})

CAPABILITIES: dict[Capability, frozenset[Role]] = {
    Capability.LOG_INCIDENT: SCHOOL_PERSONNEL,
    # The trust safeguarding lead reads every incident and every complaint (those about
    # the principal too) of the school they work in, and the switcher takes them to each;
    # they change none: that is the school's. Their pages are audited like anyone's.
    Capability.VIEW_ALL_INCIDENTS: LEADERSHIP | {Role.TRUST_LEAD},
    Capability.VIEW_ALL_COMPLAINTS: frozenset({Role.TRUST_LEAD}),
    Capability.MANAGE_INCIDENTS: frozenset({Role.PRINCIPAL, Role.COORDINATOR}),
    Capability.REPORT_ALLEGATION: SCHOOL_PERSONNEL,
    Capability.MANAGE_COMPLAINTS: frozenset({Role.PRINCIPAL, Role.SLT}),
    Capability.JOIN_ESCALATED_COMPLAINTS: frozenset({Role.CHAIR_OF_GOVERNORS}),
    Capability.BOOK_TRAINING: frozenset({Role.PARENT}),
    Capability.RAISE_CONCERN: frozenset({Role.PARENT}),
    Capability.MANAGE_TRAINING: LEADERSHIP,
    Capability.RECORD_INDUCTION: SCHOOL_PERSONNEL,
    Capability.READ_MINUTES: LEADERSHIP | GOVERNORS,
    Capability.EDIT_MINUTES: frozenset({Role.PRINCIPAL, Role.COORDINATOR}),
    Capability.VIEW_DASHBOARD: LEADERSHIP,
    Capability.GENERATE_ANNUAL_REPORT: frozenset({Role.PRINCIPAL, Role.COORDINATOR}),
    Capability.READ_ANNUAL_REPORT: LEADERSHIP | GOVERNORS | TRUST_ROLES,
    Capability.MANAGE_POLICIES: frozenset({Role.PRINCIPAL, Role.COORDINATOR}),
    # Complaint pages; which complaints each may open is decided per object.
    Capability.VIEW_COMPLAINTS: frozenset({Role.PRINCIPAL, Role.SLT, Role.CHAIR_OF_GOVERNORS}),
    Capability.MANAGE_SCHOOL_CALENDAR: frozenset({Role.PRINCIPAL}),
    Capability.VIEW_AUDIT_LOG: frozenset({Role.PRINCIPAL}),
    # Retention decisions, legal holds and subject-access requests.
    Capability.MANAGE_DATA_PROTECTION: frozenset({Role.PRINCIPAL}),
    # Not their own: see overstone.twofactor.two_factor_reset.
    Capability.RESET_TWO_FACTOR: frozenset({Role.PRINCIPAL}),
    # E-mails that could not be sent after every retry (overstone.notify).
    Capability.VIEW_FAILED_EMAILS: frozenset({Role.PRINCIPAL}),
    # Which agreements each signs is decided per agreement (agreements.selectors.signs).
    Capability.SIGN_AGREEMENTS: SCHOOL_PERSONNEL | GOVERNORS | {Role.PARENT},
    Capability.MANAGE_AGREEMENTS: frozenset({Role.PRINCIPAL, Role.COORDINATOR}),
    # This policy and the Complaints policy, as published on the policy register.
    Capability.READ_PUBLISHED_POLICIES: frozenset(Role),
    # Awareness sessions whose audience is school personnel.
    Capability.BOOK_STAFF_TRAINING: SCHOOL_PERSONNEL,
    # Parent representatives: the minutes of the meetings they attended, decided per object.
    Capability.READ_OWN_MINUTES: frozenset({Role.PARENT}),
    # The search box: each kind of record is searched only by those who may open it
    # (overstone.search), so every role may search.
    Capability.SEARCH: frozenset(Role),
    # Referrals and tasks on incidents and complaints: on which records is decided per
    # record, by the record's own rules (cases.records).
    Capability.WORK_ON_CASES: SCHOOL_PERSONNEL | {Role.CHAIR_OF_GOVERNORS},
    # New incidents are announced to them (incidents.alerts); they see their alerts.
    Capability.RECEIVE_INCIDENT_ALERTS: frozenset({Role.PRINCIPAL, Role.COORDINATOR}),
    # Every pupil's page; other staff open only the pages of pupils in incidents they logged.
    Capability.VIEW_PUPILS: LEADERSHIP,
    # The import of the school's information-system export, and pupils added by hand.
    Capability.MANAGE_PUPILS: frozenset({Role.PRINCIPAL, Role.COORDINATOR}),
    Capability.MANAGE_SURVEYS: LEADERSHIP,
    # Which surveys each answers is decided per survey (surveys.selectors.asked).
    Capability.ANSWER_SURVEYS: SCHOOL_PERSONNEL | GOVERNORS | {Role.PARENT},
    Capability.MANAGE_SCHOOL_COUNCIL: LEADERSHIP,
    # The e-safety audit, filtering reviews, observations and conversations.
    Capability.VIEW_EFFECTIVENESS_CHECKS: LEADERSHIP,
    Capability.MANAGE_EFFECTIVENESS_CHECKS: frozenset({Role.PRINCIPAL, Role.COORDINATOR}),
    Capability.VIEW_RISK_ASSESSMENTS: LEADERSHIP,
    Capability.MANAGE_RISK_ASSESSMENTS: frozenset({Role.PRINCIPAL, Role.COORDINATOR}),
    # The trust dashboard and the trust's annual report: figures, never names.
    Capability.VIEW_TRUST_FIGURES: TRUST_ROLES,
}

# Roles that must log in with a second factor (TOTP) when OVERSTONE_REQUIRE_2FA is on,
# and whose sessions end after OVERSTONE_PRIVILEGED_SESSION_SECONDS of inactivity.
TWO_FACTOR_ROLES = frozenset(
    {Role.PRINCIPAL, Role.SLT, Role.COORDINATOR, Role.CHAIR_OF_GOVERNORS, Role.TRUST_LEAD}
)


def user_roles(user) -> frozenset[Role]:
    """The roles of a user at the school in scope (``overstone.schools``), trust roles
    included (outside any scope: at the first school); read once per request and
    school, and kept on the user object."""
    if not user.is_authenticated:
        return frozenset()
    from overstone.schools import current_school_id, roles_held

    school_id = current_school_id()
    cache = getattr(user, "_overstone_roles", None)
    if cache is None:
        cache = user._overstone_roles = {}
    if school_id not in cache:
        cache[school_id] = roles_held(user.pk, school_id)
    return frozenset(Role(name) for name in cache[school_id] if name in Role.values)


def can(user, capability: Capability | str) -> bool:
    return bool(user_roles(user) & CAPABILITIES[Capability(capability)])
