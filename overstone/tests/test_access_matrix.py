"""Walk every named URL as anonymous and as every role; compare with one table.

A new URL must be added to EXPECTED (and, if it takes arguments, to URL_KWARGS), or
test_every_url_is_in_the_table fails. GET only: POST-only views answer 405 to the roles
that may use them, which still proves the role check ran first.
"""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from cases.tests.factories import CaseTaskFactory, ReferralFactory
from complaints.tests import factories as complaint_factories
from incidents.tests.factories import IncidentFactory, evidence_for
from overstone.models import School
from overstone.roles import TRUST_ROLES, Role
from overstone.samples import PDF
from overstone.schools import default_school, school_scope, trust_membership_add
from overstone.tests.factories import UserFactory
from overstone.tests.urlwalk import named_urls
from reporting.models import AnnualReport
from reporting.tests.factories import AnnualReportFactory, PolicyFactory

ANON = "anonymous"
ROLES = [r.value for r in Role]
EVERYONE = [ANON, *ROLES]


def statuses(default: int, anonymous: int | None = None, **per_role: int) -> dict[str, int]:
    table = {who: default for who in ROLES}
    table[ANON] = default if anonymous is None else anonymous
    table.update(per_role)
    return table


# The trust's roles sign no agreement and answer no survey of a school's.
TRUST_ROLES_REFUSED = {role.value: 403 for role in TRUST_ROLES}
# The trust's figures: for the trust's roles only.
TRUST_FIGURES = {
    **{role: 403 for role in ROLES},
    "anonymous": 302,
    **{role.value: 200 for role in TRUST_ROLES},
}

LOGIN = 302  # anonymous users are redirected to the login page
NOT_ALLOWED = 403
HIDDEN = 404  # a record this user may not even know exists
POST_ONLY = 405

# Who sees incidents: leadership all; other staff only their own (the sample incident
# below was logged by someone else, so it is hidden from them); governors, parents none.
INCIDENT_LOG = statuses(
    NOT_ALLOWED, anonymous=LOGIN, principal=200, slt=200, coordinator=200, staff=200
)
INCIDENT_ALL = statuses(NOT_ALLOWED, anonymous=LOGIN, principal=200, slt=200, coordinator=200)
INCIDENT_MANAGE = statuses(NOT_ALLOWED, anonymous=LOGIN, principal=200, coordinator=200)
LEADERSHIP = INCIDENT_ALL
POLICY_MANAGE = INCIDENT_MANAGE
REPORT_READ = statuses(200, anonymous=LOGIN, staff=NOT_ALLOWED, parent=NOT_ALLOWED)
REPORT_GENERATE = statuses(NOT_ALLOWED, anonymous=LOGIN, principal=200, coordinator=200)
REPORT_GENERATE_POST = statuses(
    NOT_ALLOWED, anonymous=LOGIN, principal=POST_ONLY, coordinator=POST_ONLY
)
# Retention, legal holds and subject-access requests: the principal alone.
PRINCIPAL_ONLY = statuses(NOT_ALLOWED, anonymous=LOGIN, principal=200)
INCIDENT_VIEW = {**INCIDENT_ALL, "staff": HIDDEN}
# The trust safeguarding lead reads every incident and complaint of the school they work
# in (the switcher takes them to each), and changes none: 403 on every other page.
TRUST_LEAD_READS = {Role.TRUST_LEAD.value: 200}
INCIDENT_CHANGE = {**INCIDENT_MANAGE, "staff": HIDDEN}

# Complaints: principal and SLT manage them; the chair of governors sees those escalated
# to the governors' meeting (and those about the principal); staff report allegations
# about themselves; parents raise concerns privately and see only their own.
COMPLAINT_MANAGE = statuses(NOT_ALLOWED, anonymous=LOGIN, principal=200, slt=200)
COMPLAINT_VIEW = {**COMPLAINT_MANAGE, "chair_of_governors": HIDDEN}  # not yet escalated
COMPLAINT_ESCALATED = {**COMPLAINT_MANAGE, "chair_of_governors": 200}
COMPLAINT_ESCALATED_POST = {
    who: POST_ONLY if status == 200 else status for who, status in COMPLAINT_ESCALATED.items()
}
COMPLAINT_REPORT = INCIDENT_LOG
PARENT_ONLY = statuses(NOT_ALLOWED, anonymous=LOGIN, parent=200)
# A concern's page: its parent reads it; the sample concern is another parent's.
CONCERN_PAGE = {**COMPLAINT_VIEW, "parent": HIDDEN}

# Referrals and tasks on a case (cases/): pages for whoever may act on the record (the
# sample is an incident; complaints are walked in cases/tests/test_views.py); the chair
# of governors may work on cases but cannot see this incident; staff did not log it.
CASE_WORK = {**INCIDENT_LOG, "chair_of_governors": 200}
CASE_CHANGE = {**INCIDENT_CHANGE, "chair_of_governors": HIDDEN}
CASE_TASK_DONE = {**CASE_CHANGE, "principal": POST_ONLY, "coordinator": POST_ONLY, "slt": POST_ONLY}

EXPECTED: dict[str, dict[str, int]] = {
    "home": statuses(200, anonymous=LOGIN),
    "work_badge": statuses(200, anonymous=LOGIN),
    "school_switch": statuses(POST_ONLY, anonymous=LOGIN),
    "trust:dashboard": TRUST_FIGURES,
    "trust:report_pdf": TRUST_FIGURES,
    "healthz": statuses(200),
    "login": statuses(200),
    "logout": statuses(405),
    "password_change": statuses(200, anonymous=LOGIN),
    "password_change_done": statuses(200, anonymous=LOGIN),
    "password_reset": statuses(200),
    "password_reset_done": statuses(200),
    "password_reset_confirm": statuses(200),
    "password_reset_complete": statuses(200),
    # Without a device yet: the code page sends everyone to set one up.
    "two_factor_setup": statuses(200, anonymous=LOGIN),
    "two_factor_verify": statuses(302),
    "two_factor_backup_codes": statuses(302),  # after the code: see test_two_factor.py
    "audit_log": statuses(NOT_ALLOWED, anonymous=LOGIN, principal=200),
    "failed_emails": PRINCIPAL_ONLY,
    # Every role searches what it may open (overstone.search).
    "search": statuses(200, anonymous=LOGIN),
    "privacy:retention": PRINCIPAL_ONLY,
    "privacy:legal_holds": PRINCIPAL_ONLY,
    "privacy:legal_hold_lift": {**PRINCIPAL_ONLY, "principal": POST_ONLY},
    "privacy:sar_list": PRINCIPAL_ONLY,
    "privacy:sar_create": PRINCIPAL_ONLY,
    "privacy:sar_detail": PRINCIPAL_ONLY,
    "privacy:sar_export": PRINCIPAL_ONLY,
    "two_factor_users": statuses(NOT_ALLOWED, anonymous=LOGIN, principal=200),
    "two_factor_reset": statuses(NOT_ALLOWED, anonymous=LOGIN, principal=POST_ONLY),
    "incidents:list": {**INCIDENT_LOG, **TRUST_LEAD_READS},
    "incidents:create": INCIDENT_LOG,
    "incidents:export": {**INCIDENT_ALL, **TRUST_LEAD_READS},
    "incidents:import": INCIDENT_MANAGE,
    "incidents:import_job": INCIDENT_MANAGE,
    # New incidents are announced to the coordinator and the principal: their alerts page.
    "incidents:alerts": INCIDENT_MANAGE,
    "incidents:detail": {**INCIDENT_VIEW, **TRUST_LEAD_READS},
    "incidents:update": INCIDENT_CHANGE,
    "incidents:evidence_add": INCIDENT_CHANGE,
    "incidents:evidence_download": {**INCIDENT_VIEW, **TRUST_LEAD_READS},
    "incidents:report": {**INCIDENT_CHANGE, "principal": POST_ONLY, "coordinator": POST_ONLY},
    "incidents:contact_isp": INCIDENT_CHANGE,
    "incidents:contact_police": INCIDENT_CHANGE,
    "incidents:close": INCIDENT_CHANGE,
    "incidents:link": INCIDENT_CHANGE,
    "reporting:dashboard": LEADERSHIP,
    "reporting:published_list": statuses(200, anonymous=LOGIN),
    "reporting:published_detail": statuses(200, anonymous=LOGIN),
    "reporting:policy_list": LEADERSHIP,
    "reporting:policy_create": POLICY_MANAGE,
    "reporting:policy_detail": LEADERSHIP,
    "reporting:policy_update": POLICY_MANAGE,
    "reporting:policy_review": REPORT_GENERATE_POST,
    "reporting:report_list": REPORT_READ,
    "reporting:report_request": REPORT_GENERATE_POST,
    "reporting:report_detail": REPORT_READ,
    "reporting:report_status": REPORT_READ,
    "reporting:report_pdf": REPORT_READ,
    "reporting:report_retry": REPORT_GENERATE_POST,
    "reporting:report_development": REPORT_GENERATE,
    "complaints:board": {**COMPLAINT_MANAGE, **TRUST_LEAD_READS},
    "complaints:escalated": statuses(NOT_ALLOWED, anonymous=LOGIN, chair_of_governors=200),
    "complaints:create": COMPLAINT_MANAGE,
    "complaints:report": COMPLAINT_REPORT,
    "complaints:mine": COMPLAINT_REPORT,
    "complaints:concern_list": PARENT_ONLY,
    "complaints:concern_create": PARENT_ONLY,
    # The chair of governors: only the concerns about the principal (the sample is not).
    "complaints:concern_manage": COMPLAINT_ESCALATED,
    "complaints:concern_export": COMPLAINT_ESCALATED,
    "complaints:export": COMPLAINT_MANAGE,
    "complaints:concern_detail": CONCERN_PAGE,
    "complaints:calendar": statuses(NOT_ALLOWED, anonymous=LOGIN, principal=200),
    "complaints:calendar_delete": statuses(NOT_ALLOWED, anonymous=LOGIN, principal=POST_ONLY),
    "complaints:detail": {**COMPLAINT_VIEW, **TRUST_LEAD_READS},
    "complaints:transition": {**COMPLAINT_VIEW, "principal": POST_ONLY, "slt": POST_ONLY},
    "complaints:evidence_add": COMPLAINT_VIEW,
    "complaints:link": COMPLAINT_VIEW,
    "complaints:evidence_download": {**COMPLAINT_VIEW, **TRUST_LEAD_READS},
    "complaints:removal_add": COMPLAINT_VIEW,
    "complaints:governors_meeting_arrange": COMPLAINT_VIEW,
    "complaints:removal_outcome": COMPLAINT_VIEW,
    "complaints:note_add": COMPLAINT_VIEW,
    "complaints:letter": COMPLAINT_ESCALATED_POST,
    "complaints:letter_pdf": COMPLAINT_ESCALATED_POST,
    "complaints:bundle": COMPLAINT_ESCALATED_POST,
    "cases:referral_list": CASE_WORK,
    "cases:my_tasks": CASE_WORK,
    "cases:referral_add": CASE_CHANGE,
    "cases:referral_response": CASE_CHANGE,
    "cases:task_add": CASE_CHANGE,
    "cases:task_done": CASE_TASK_DONE,
}


def an_incident() -> dict:
    return {"reference": IncidentFactory().reference}


def an_evidence_file() -> dict:
    evidence = evidence_for(IncidentFactory())
    return {"reference": evidence.incident.reference, "pk": evidence.pk}


def a_policy() -> dict:
    return {"pk": PolicyFactory().pk}


def a_finished_report() -> dict:
    report = AnnualReportFactory(status=AnnualReport.Status.DONE)
    report.pdf.save("report.pdf", ContentFile(PDF))
    return {"pk": report.pk}


# Training (issue 5); the principal and SLT organise it with the coordinator (issue 13).
TRAINING_MANAGE = statuses(403, anonymous=LOGIN, principal=200, slt=200, coordinator=200)
TRAINING_MANAGE_POST = statuses(403, anonymous=LOGIN, principal=405, slt=405, coordinator=405)
PERSONNEL = statuses(403, anonymous=LOGIN, principal=200, slt=200, coordinator=200, staff=200)
# Parents book parents' sessions, school personnel staff ones: the sample session is for
# parents, so it is hidden from staff.
BOOKERS = {**PERSONNEL, "parent": 200}
PERSONNEL_POST = {who: 405 if status == 200 else status for who, status in BOOKERS.items()}
MINUTES_READERS = statuses(
    403, anonymous=LOGIN, principal=200, slt=200, coordinator=200, governor=200,
    chair_of_governors=200,
)  # fmt: skip
MINUTES_EDITORS = statuses(403, anonymous=LOGIN, principal=200, coordinator=200)
EXPECTED |= {
    "training:session_list": TRAINING_MANAGE,
    "training:session_create": TRAINING_MANAGE,
    "training:session_detail": TRAINING_MANAGE,
    "training:session_update": TRAINING_MANAGE,
    "training:session_cancel": TRAINING_MANAGE_POST,
    "training:attendance_csv": TRAINING_MANAGE,
    "training:attendance_mark": TRAINING_MANAGE_POST,
    "training:parent_list": TRAINING_MANAGE,
    "training:parent_create": TRAINING_MANAGE,
    "training:parent_import": TRAINING_MANAGE,
    "training:parent_import_job": TRAINING_MANAGE,
    "training:parent_invite": TRAINING_MANAGE_POST,
    "training:upcoming": BOOKERS,
    "training:book": {**BOOKERS, "principal": 404, "slt": 404, "coordinator": 404, "staff": 404},
    "training:booking_cancel": PERSONNEL_POST,
    "training:induction_mine": PERSONNEL,
    "training:induction_matrix": TRAINING_MANAGE,
    "training:induction_validity": TRAINING_MANAGE,
    "training:induction_confirm": TRAINING_MANAGE_POST,
    "training:meeting_list": MINUTES_READERS,
    "training:meeting_detail": MINUTES_READERS,
    "training:meeting_create": MINUTES_EDITORS,
    "training:meeting_update": MINUTES_EDITORS,
    "training:action_create": MINUTES_EDITORS,
    "training:action_done": statuses(403, anonymous=LOGIN, principal=405, coordinator=405),
    "training:member_list": MINUTES_EDITORS,
    "training:member_end": statuses(403, anonymous=LOGIN, principal=405, coordinator=405),
    # Pupils: leadership lists them and opens every page; other staff open only the page of
    # a pupil in an incident they logged (the sample pupil is in none: hidden).
    "pupils:list": LEADERSHIP,
    "pupils:detail": {**INCIDENT_ALL, "staff": HIDDEN, "trust_lead": HIDDEN},
    "pupils:create": INCIDENT_MANAGE,
    "pupils:import": INCIDENT_MANAGE,
    "pupils:import_job": INCIDENT_MANAGE,
}


# Agreements and consent (issue 16): each signs their own; the register is the coordinator's.
EXPECTED |= {
    "agreements:mine": {**statuses(200, anonymous=LOGIN), **TRUST_ROLES_REFUSED},
    # The sample is the parents' agreement: nobody else is asked to sign it.
    "agreements:sign": {**statuses(HIDDEN, anonymous=LOGIN, parent=200), **TRUST_ROLES_REFUSED},
    "agreements:register": POLICY_MANAGE,
    "agreements:create": POLICY_MANAGE,
    "agreements:document": POLICY_MANAGE,
    "agreements:version_create": POLICY_MANAGE,
    "agreements:paper_record": POLICY_MANAGE,
    "agreements:reminders_send": REPORT_GENERATE_POST,
}


# Surveys and School Council (issue 17): leadership runs them; parents, school personnel
# and governors answer those addressed to them (the sample is the parents'); pupils
# answer with a class code, no account.
SURVEY_MANAGE = LEADERSHIP
EXPECTED |= {
    "surveys:mine": {**statuses(200, anonymous=LOGIN), **TRUST_ROLES_REFUSED},
    "surveys:answer": {**statuses(HIDDEN, anonymous=LOGIN, parent=200), **TRUST_ROLES_REFUSED},
    "surveys:code_entry": statuses(200),
    "surveys:thanks": statuses(200),
    "surveys:class_answer": statuses(200),
    "surveys:list": SURVEY_MANAGE,
    "surveys:create": SURVEY_MANAGE,
    "surveys:detail": SURVEY_MANAGE,
    "surveys:question_add": SURVEY_MANAGE,
    "surveys:class_code_add": SURVEY_MANAGE,
    "surveys:results": SURVEY_MANAGE,
    "surveys:export": SURVEY_MANAGE,
    "surveys:report_include": {
        who: POST_ONLY if status == 200 else status for who, status in SURVEY_MANAGE.items()
    },
    "surveys:council_list": SURVEY_MANAGE,
    "surveys:council_create": SURVEY_MANAGE,
    "surveys:council_detail": SURVEY_MANAGE,
    "surveys:council_respond": SURVEY_MANAGE,
}


def _surveys(make) -> callable:
    def kwargs() -> dict:
        from surveys.tests import factories

        return make(factories)

    return kwargs


a_survey = _surveys(lambda f: {"pk": f.survey_with_questions().pk})
# An anonymous survey with no answers yet is not exported (its results page says so).
a_named_survey = _surveys(lambda f: {"pk": f.survey_with_questions(anonymous=False).pk})
a_class_code = _surveys(lambda f: {"code": f.ClassCodeFactory().code})
a_council_meeting = _surveys(lambda f: {"pk": f.CouncilMeetingFactory().pk})
a_council_point = _surveys(lambda f: {"pk": f.CouncilPointFactory().pk})
# Effectiveness checks and risk assessments (issue 17): the principal and the coordinator
# manage them, SLT read.
CHECKS_MANAGE_POST = statuses(
    NOT_ALLOWED, anonymous=LOGIN, principal=POST_ONLY, coordinator=POST_ONLY
)
EXPECTED |= {
    "effectiveness:check_list": LEADERSHIP,
    "effectiveness:check_create": POLICY_MANAGE,
    "effectiveness:check_detail": LEADERSHIP,
    "effectiveness:check_update": POLICY_MANAGE,
    "effectiveness:audit_items": POLICY_MANAGE,
    "effectiveness:check_complete": CHECKS_MANAGE_POST,
    "effectiveness:checklist": POLICY_MANAGE,
    "effectiveness:checklist_item": POLICY_MANAGE,
    "effectiveness:risk_list": LEADERSHIP,
    "effectiveness:risk_create": POLICY_MANAGE,
    "effectiveness:risk_detail": LEADERSHIP,
    "effectiveness:risk_update": POLICY_MANAGE,
}


def an_audit() -> dict:
    from effectiveness.tests.factories import an_audit

    return {"reference": an_audit().reference}


def _effectiveness_pk(factory_name: str):
    def make() -> dict:
        from effectiveness.tests import factories

        return {"pk": getattr(factories, factory_name)().pk}

    return make


def a_parents_agreement() -> dict:
    from agreements.tests.factories import agreement_for

    return {"pk": agreement_for().pk}


def a_published_policy() -> dict:
    return {"pk": PolicyFactory(published_text="# Complaints policy").pk}


def _training_pk(factory_name: str):
    def make() -> dict:
        from training.tests import factories

        return {"pk": getattr(factories, factory_name)().pk}

    return make


def an_import_job(kind: str):
    def make() -> dict:
        from overstone.models import ImportJob

        return {"pk": ImportJob.objects.create(kind=kind, status=ImportJob.Status.DONE).pk}

    return make


def a_complaint() -> dict:
    return {"reference": complaint_factories.ComplaintFactory().reference}


def a_complaint_evidence_file() -> dict:
    evidence = complaint_factories.evidence_for(complaint_factories.ComplaintFactory())
    return {"reference": evidence.complaint.reference, "pk": evidence.pk}


def a_removal_request() -> dict:
    complaint = complaint_factories.complaint_at("removal_requested")
    return {"reference": complaint.reference, "pk": complaint.removal_requests.get().pk}


def an_escalated_complaint() -> dict:
    return {"reference": complaint_factories.complaint_at("governors_meeting").reference}


def a_governors_letter() -> dict:
    return {**an_escalated_complaint(), "kind": "governors_meeting"}


def a_concern() -> dict:
    from complaints.services import concern_create
    from overstone.tests.factories import UserFactory

    parent = UserFactory(roles=[Role.PARENT])
    return {"reference": concern_create(actor=parent, subject="Trip", details="…").reference}


def a_calendar_entry() -> dict:
    from complaints.models import CalendarEntry

    day = date(2026, 2, 16)
    entry = CalendarEntry.objects.create(
        kind=CalendarEntry.Kind.HOLIDAY, name="Half term", starts_on=day, ends_on=day
    )
    return {"pk": entry.pk}


def a_legal_hold() -> dict:
    from privacy.services import legal_hold_place

    incident = IncidentFactory()
    hold = legal_hold_place(
        reference=incident.reference, reason="Claim", actor=incident.reported_by
    )
    return {"pk": hold.pk}


def a_subject_access_request() -> dict:
    from privacy.services import sar_create

    actor = IncidentFactory().reported_by
    sar = sar_create(actor=actor, subject_name="Jamie Doe", received_on=date(2026, 11, 2))
    return {"reference": sar.reference}


def a_referral() -> dict:
    incident = IncidentFactory()
    referral = ReferralFactory(record_reference=incident.reference)
    return {"reference": incident.reference, "pk": referral.pk}


def a_case_task() -> dict:
    incident = IncidentFactory()
    task = CaseTaskFactory(record_reference=incident.reference, owner=incident.reported_by)
    return {"reference": incident.reference, "pk": task.pk}


def another_user() -> dict:
    from overstone.tests.factories import UserFactory

    return {"pk": UserFactory(roles=[Role.SLT]).pk}


def a_pupil() -> dict:
    from pupils.tests.factories import PupilFactory

    return {"reference": PupilFactory().number}


URL_KWARGS = {
    "pupils:detail": a_pupil,
    "pupils:import_job": an_import_job("pupils"),
    "effectiveness:check_create": lambda: {"kind": "audit"},
    "effectiveness:check_detail": an_audit,
    "effectiveness:check_update": an_audit,
    "effectiveness:audit_items": an_audit,
    "effectiveness:check_complete": an_audit,
    "effectiveness:checklist_item": _effectiveness_pk("ChecklistItemFactory"),
    "effectiveness:risk_detail": _effectiveness_pk("RiskAssessmentFactory"),
    "effectiveness:risk_update": _effectiveness_pk("RiskAssessmentFactory"),
    "privacy:legal_hold_lift": a_legal_hold,
    "privacy:sar_detail": a_subject_access_request,
    "privacy:sar_export": a_subject_access_request,
    "password_reset_confirm": lambda: {"uidb64": "MQ", "token": "set-password"},
    "two_factor_reset": another_user,
    "incidents:import_job": an_import_job("filter_alerts"),
    "incidents:detail": an_incident,
    "incidents:link": an_incident,
    "incidents:update": an_incident,
    "incidents:evidence_add": an_incident,
    "incidents:evidence_download": an_evidence_file,
    "incidents:report": an_incident,
    "incidents:contact_isp": an_incident,
    "incidents:contact_police": an_incident,
    "incidents:close": an_incident,
    "reporting:published_detail": a_published_policy,
    "agreements:sign": a_parents_agreement,
    "agreements:document": a_parents_agreement,
    "agreements:version_create": a_parents_agreement,
    "agreements:paper_record": a_parents_agreement,
    "reporting:policy_detail": a_policy,
    "reporting:policy_update": a_policy,
    "reporting:policy_review": a_policy,
    "reporting:report_detail": a_finished_report,
    "reporting:report_status": a_finished_report,
    "reporting:report_pdf": a_finished_report,
    "reporting:report_retry": a_finished_report,
    "reporting:report_development": a_finished_report,
    "training:session_detail": _training_pk("SessionFactory"),
    "training:session_update": _training_pk("SessionFactory"),
    "training:session_cancel": _training_pk("SessionFactory"),
    "training:attendance_csv": _training_pk("SessionFactory"),
    "training:attendance_mark": _training_pk("BookingFactory"),
    "training:parent_import_job": an_import_job("parents"),
    "training:parent_invite": _training_pk("ParentProfileFactory"),
    "training:book": _training_pk("SessionFactory"),
    "training:booking_cancel": _training_pk("BookingFactory"),
    "training:induction_confirm": _training_pk("InductionRecordFactory"),
    "training:meeting_detail": _training_pk("MeetingFactory"),
    "training:meeting_update": _training_pk("MeetingFactory"),
    "training:action_create": _training_pk("MeetingFactory"),
    "training:action_done": _training_pk("ActionItemFactory"),
    "training:member_end": _training_pk("MemberFactory"),
    "complaints:concern_detail": a_concern,
    "complaints:calendar_delete": a_calendar_entry,
    "complaints:detail": a_complaint,
    "complaints:transition": a_complaint,
    "complaints:evidence_add": a_complaint,
    "complaints:evidence_download": a_complaint_evidence_file,
    "complaints:removal_add": a_complaint,
    "complaints:link": a_complaint,
    "complaints:governors_meeting_arrange": a_complaint,
    "complaints:removal_outcome": a_removal_request,
    "complaints:note_add": a_complaint,
    "complaints:letter": a_governors_letter,
    "complaints:letter_pdf": a_governors_letter,
    "complaints:bundle": an_escalated_complaint,
    "cases:referral_add": an_incident,
    "cases:referral_response": a_referral,
    "cases:task_add": an_incident,
    "cases:task_done": a_case_task,
    **{
        f"surveys:{name}": a_survey
        for name in (
            "answer",
            "detail",
            "question_add",
            "class_code_add",
            "results",
            "report_include",
        )
    },  # fmt: skip
    "surveys:export": a_named_survey,
    "surveys:class_answer": a_class_code,
    "surveys:council_detail": a_council_meeting,
    "surveys:council_respond": a_council_point,
}


def test_every_url_is_in_the_table():
    assert sorted(set(named_urls())) == sorted(EXPECTED)


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_access(client, user_with_role, name, who):
    kwargs = URL_KWARGS.get(name, dict)()
    url = reverse(name, kwargs=kwargs)
    if who != ANON:
        client.force_login(user_with_role(who))
    response = client.get(url)
    assert response.status_code == EXPECTED[name][who], f"{who} GET {url}"
    if response.status_code == 302 and who == ANON:
        assert response["Location"].startswith(reverse("login"))


# Two schools (issue 18): every URL as every role of school A shows nothing of school B.
# B has a code, so every reference its services make carries it ("RVA-INC-2026-0001").
B_CODE = "RVA-"


@pytest.fixture
def two_schools(db):
    school_a = default_school()
    school_b = School.objects.create(trust=school_a.trust, name="Riverside Academy", code="RVA")
    return school_a, school_b


def log_in_at(client, school, who: str):
    """A user in the role at ``school``, working there (a trust role is held in every
    school of the trust)."""
    role = Role(who)
    with school_scope(school):
        user = UserFactory(roles=[] if role in TRUST_ROLES else [role])
    if role in TRUST_ROLES:
        trust_membership_add(user, role)
    client.force_login(user)
    session = client.session
    session["school_id"] = school.pk
    session.save()
    return user


def texts_of(kwargs: dict) -> list[str]:
    """What a page showing the sample would show of it: its reference (school A has no
    records, so finding one on A's page is finding B's)."""
    return [kwargs["reference"]] if "reference" in kwargs else []


def body(response) -> str:
    """A page, a CSV or a PDF, as text."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


# Arguments that name no school's record (a token, a kind), and a pupil's class code, which
# opens its survey without an account, in the survey's school.
NOT_A_RECORD = {"password_reset_confirm", "effectiveness:check_create", "surveys:class_answer"}
# A role refused by a page's role check (403 in the table) is refused before any record is
# looked up, so the walk of another school's records asks only the roles past that check
# (every role would take four minutes).
PAST_THE_ROLE_CHECK = [
    (name, who)
    for name in sorted(set(URL_KWARGS) - NOT_A_RECORD)
    for who in ROLES
    if EXPECTED[name][who] not in (LOGIN, NOT_ALLOWED)
]


@pytest.mark.parametrize(("name", "who"), PAST_THE_ROLE_CHECK)
def test_another_schools_record_is_not_found(client, two_schools, name, who):
    school_a, school_b = two_schools
    with school_scope(school_b):
        kwargs = URL_KWARGS[name]()
    url = reverse(name, kwargs=kwargs)
    log_in_at(client, school_a, who)
    response = client.get(url)
    assert response.status_code != 200, f"{who} of school A GET {url}"
    assert not [text for text in texts_of(kwargs) if text in body(response)]


def school_b_records(school_b) -> list[str]:
    """One sample of each kind in school B, and a few more with a name found nowhere
    else; what a list page would show of them."""
    from complaints.tests.factories import ComplaintFactory
    from pupils.tests.factories import PupilFactory
    from training.tests.factories import SessionFactory

    name = "Quillfeather"
    with school_scope(school_b):
        texts = [text for make in set(URL_KWARGS.values()) for text in texts_of(make())]
        UserFactory(last_name=name, roles=[Role.STAFF])
        UserFactory(last_name=name, roles=[Role.PARENT])
        PupilFactory(last_name=name)
        IncidentFactory(description=f"{name} reached a gambling site.")
        ComplaintFactory(content=f"{name} posted about the school.")
        SessionFactory(title=f"{name} awareness session")
        PolicyFactory(title=f"{name} policy", published_text=f"# {name} policy")
    return [B_CODE, name, *texts]


LISTS = sorted(set(EXPECTED) - set(URL_KWARGS) - {"logout"})


@pytest.mark.parametrize("who", ROLES)
def test_no_list_shows_another_schools_records(client, two_schools, who):
    school_a, school_b = two_schools
    texts = school_b_records(school_b)
    log_in_at(client, school_a, who)
    for name in LISTS:
        page = body(client.get(reverse(name)))
        assert not [text for text in texts if text in page], f"{who} of school A GET {name}"


# The trust's roles are held in every school: working in school B (the switcher), a trust
# lead opens B's records as they open A's.
TRUST_LEAD_RECORDS = sorted(
    name for name in set(URL_KWARGS) - NOT_A_RECORD if EXPECTED[name]["trust_lead"] == 200
)


@pytest.mark.parametrize("name", TRUST_LEAD_RECORDS)
def test_a_trust_lead_opens_the_records_of_the_school_they_switch_to(client, two_schools, name):
    school_a, school_b = two_schools
    with school_scope(school_b):
        url = reverse(name, kwargs=URL_KWARGS[name]())
    log_in_at(client, school_a, Role.TRUST_LEAD)
    assert client.get(url).status_code == 404
    client.post(reverse("school_switch"), {"school": school_b.pk})
    assert client.get(url).status_code == 200
