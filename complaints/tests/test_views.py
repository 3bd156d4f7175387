import io
import zipfile
from datetime import timedelta

import pytest
from django.db.models.signals import post_init
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from complaints import services
from complaints.models import About, Concern, OnlineComplaint, Stage
from complaints.tests.factories import ComplaintFactory, complaint_at, evidence_for, move
from overstone.models import AuditLogEntry
from overstone.samples import EML, PNG, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def principal(client, user_with_role):
    user = user_with_role("principal")
    client.force_login(user)
    return user


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_board_queries_do_not_grow_with_rows(client, principal, django_assert_max_num_queries):
    url = reverse("complaints:board")
    ComplaintFactory.create_batch(3)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    ComplaintFactory.create_batch(30, stage_due=timezone.localdate() - timedelta(days=1))
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 25


def test_board_shows_overdue_first_and_filters(client, principal):
    later = ComplaintFactory(stage_due=timezone.localdate() + timedelta(days=5))
    overdue = ComplaintFactory(stage_due=timezone.localdate() - timedelta(days=1))
    response = client.get(reverse("complaints:board"))
    rows = list(response.context["page_obj"].object_list)
    assert rows[0] == overdue and rows[1] == later
    assert b'data-testid="overdue"' in response.content
    response = client.get(reverse("complaints:board"), {"overdue": "on"})
    assert list(response.context["page_obj"].object_list) == [overdue]
    response = client.get(reverse("complaints:board"), {"stage": "resolved"})
    assert b"No complaint matches these filters" in response.content


def test_board_counts_what_it_lists(client, principal):
    ComplaintFactory.create_batch(2)
    ComplaintFactory(stage="resolved", stage_due=None)
    ComplaintFactory(about_principal=True)  # the chair's, not the principal's
    response = client.get(reverse("complaints:board"))
    assert b"3 complaints, overdue first" in response.content
    response = client.get(reverse("complaints:board"), {"stage": "resolved", "page": "1"})
    assert b"1 complaint, overdue first" in response.content
    response = client.get(reverse("complaints:board"), {"page": "1", "stage": ""})
    assert b"3 complaints, overdue first" in response.content


def test_board_empty_state(client, principal):
    response = client.get(reverse("complaints:board"))
    assert b"No online complaints here" in response.content


def test_record_a_complaint_with_evidence(client, principal):
    response = client.post(
        reverse("complaints:create"),
        {
            "platform": "x",
            "post_url": "x.example/status/1",
            "posted_at": "2026-01-10T09:00",
            "content": "This school is a joke.",
            "about": "school",
            "category": "complaint_school",
            "evidence-files": [io.BytesIO(PNG)],
        },
        follow=True,
    )
    complaint = OnlineComplaint.objects.get()
    assert response.redirect_chain[-1][0] == complaint.get_absolute_url()
    assert complaint.post_url == "https://x.example/status/1"
    assert complaint.evidence.count() == 1


def test_form_errors_keep_what_was_typed(client, principal):
    response = client.post(
        reverse("complaints:create"),
        {"platform": "x", "content": "Typed words stay", "about": "staff", "category": ""},
    )
    assert response.status_code == 200
    assert b"Typed words stay" in response.content
    assert b"Choose the staff member" in response.content
    assert not OnlineComplaint.objects.exists()


def test_detail_shows_chronology_and_next_step(client, principal):
    complaint = complaint_at("staff_supported")
    response = client.get(complaint.get_absolute_url())
    assert response.status_code == 200
    assert b'data-testid="chronology"' in response.content
    assert "Reported → School personnel supported and reassured" in response.content.decode()
    assert b'data-testid="next-evidence_gathered"' in response.content


def test_detail_offers_only_the_actions_that_apply(client, principal):
    """Another removal request only once a first was recorded (the first is a stage);
    nothing that changes the complaint once it is finished; the rest under "More actions"."""
    early, removal_requested, done = (
        complaint_at(stage) for stage in ("evidence_gathered", "removal_requested", "resolved")
    )
    before = client.get(early.get_absolute_url()).content.decode()
    assert reverse("complaints:removal_add", args=[early.reference]) not in before
    assert "More actions" in before
    assert "Add evidence" in before
    after = client.get(removal_requested.get_absolute_url()).content.decode()
    assert reverse("complaints:removal_add", args=[removal_requested.reference]) in after
    assert "Record another removal request" in after
    finished = client.get(done.get_absolute_url()).content.decode()
    assert reverse("complaints:removal_add", args=[done.reference]) not in finished
    assert "Add evidence" not in finished
    assert "Evidence bundle (zip)" in finished


def post_move(client, complaint, to_stage, expected=None, **fields):
    data = {"to_stage": to_stage, f"{to_stage}-expected_stage": expected or complaint.stage}
    data.update({f"{to_stage}-{k}": v for k, v in fields.items()})
    return client.post(
        reverse("complaints:transition", args=[complaint.reference]), data, follow=True
    )


def test_move_through_the_view_and_refusals_are_messages(client, principal):
    complaint = ComplaintFactory()
    response = post_move(client, complaint, "staff_supported", note="Reassured Mr B.")
    assert "moved to “School personnel supported and reassured”" in messages_of(response)[0]
    complaint.refresh_from_db()
    assert complaint.stage == "staff_supported"
    # A second click from the old page: someone already moved it.
    response = post_move(client, complaint, "staff_supported", expected="reported", note="x")
    assert "changed while you were working" in messages_of(response)[0]
    # An illegal jump.
    response = post_move(client, complaint, "legal_advice", adviser="X", summary="Y")
    assert "cannot move to “Legal advice taken”" in messages_of(response)[0]
    complaint.refresh_from_db()
    assert complaint.stage == "staff_supported"


def test_transition_form_errors_keep_input(client, principal):
    complaint = complaint_at("evidence_gathered")
    response = post_move(client, complaint, "parents_meeting", attendees="Both parents")
    assert response.status_code == 200
    assert b"Both parents" in response.content
    assert b"This field is required" in response.content
    complaint.refresh_from_db()
    assert complaint.stage == "evidence_gathered"


def test_transition_is_post_only(client, principal):
    complaint = ComplaintFactory()
    url = reverse("complaints:transition", args=[complaint.reference])
    assert client.get(url).status_code == 405


def test_chair_sees_only_escalated_and_about_principal(client, user_with_role):
    chair = user_with_role("chair_of_governors")
    client.force_login(chair)
    early = ComplaintFactory()
    escalated = complaint_at("governors_meeting")
    about_principal = ComplaintFactory(about_principal=True)
    response = client.get(reverse("complaints:escalated"))
    assert set(response.context["page_obj"].object_list) == {escalated, about_principal}
    assert client.get(early.get_absolute_url()).status_code == 404
    assert client.get(escalated.get_absolute_url()).status_code == 200


def test_the_principal_arranges_the_chairs_meeting_from_the_complaint(client, principal):
    complaint = complaint_at("legal_warning_given")
    page = client.get(complaint.get_absolute_url()).content.decode()
    url = reverse("complaints:governors_meeting_arrange", args=[complaint.reference])
    assert url in page
    refused = client.post(url, {"meeting_at": "2020-01-06T18:00"})
    assert "record a meeting held instead" in refused.content.decode()
    when = (timezone.localtime() + timezone.timedelta(days=4)).strftime("%Y-%m-%dT18:00")
    nowhere = client.post(url, {"meeting_at": when, "place": ""})
    assert "This field is required" in nowhere.content.decode()
    data = {"meeting_at": when, "place": "the library", "note": "Both parents invited"}
    response = client.post(url, data, follow=True)
    assert "chair of governors can now read this complaint" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.escalated_at is not None
    assert complaint.governors_meeting_place == "the library"
    assert timezone.localtime(complaint.governors_meeting_at).strftime("%Y-%m-%dT%H:%M") == when
    assert url not in response.content.decode()  # arranged once


def test_complaint_about_principal_is_hidden_from_the_principal(client, principal):
    hidden = ComplaintFactory(about_principal=True)
    response = client.get(reverse("complaints:board"))
    assert hidden not in response.context["page_obj"].object_list
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_governor_sees_nothing(client, user_with_role):
    client.force_login(user_with_role("governor"))
    complaint = complaint_at("governors_meeting")
    assert client.get(complaint.get_absolute_url()).status_code == 403
    assert client.get(reverse("complaints:board")).status_code == 403


def test_staff_report_an_allegation_reaches_the_principal(client, user_with_role):
    staff = user_with_role("staff")
    client.force_login(staff)
    response = client.post(
        reverse("complaints:report"),
        {
            "platform": "facebook",
            "posted_at": "2026-01-10T09:00",
            "content": "Mrs G shouts at children",
            "category": "allegation_staff",
        },
        follow=True,
    )
    complaint = OnlineComplaint.objects.get()
    assert complaint.about == About.STAFF and list(complaint.staff_about.all()) == [staff]
    assert "has gone to the principal" in messages_of(response)[0]
    assert complaint.reference.encode() in response.content


def test_letters_html_and_pdf_are_logged(client, principal):
    complaint = complaint_at("removal_requested")
    response = client.post(
        reverse("complaints:letter", args=[complaint.reference, "legal_warning"])
    )
    assert b"could lead to legal action" in response.content
    response = client.post(
        reverse("complaints:letter_pdf", args=[complaint.reference, "legal_warning"])
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "legal action" in text and complaint.reference in text
    letters = complaint.events.filter(kind="letter")
    assert [e.summary for e in letters] == [
        "Warning that further posts could lead to legal action (HTML)",
        "Warning that further posts could lead to legal action (PDF)",
    ]


def test_letters_and_the_bundle_are_produced_by_post_only(client, principal):
    complaint = complaint_at("legal_advice")
    for url in (
        reverse("complaints:letter", args=[complaint.reference, "legal_warning"]),
        reverse("complaints:bundle", args=[complaint.reference]),
    ):
        assert client.get(url).status_code == 405
    assert not complaint.events.filter(kind__in=["letter", "bundle"]).exists()


def test_a_letter_out_of_stage_is_refused_with_a_message(client, principal):
    complaint = ComplaintFactory()
    response = client.post(
        reverse("complaints:letter", args=[complaint.reference, "legal_warning"]), follow=True
    )
    assert "not available" in messages_of(response)[0]


def test_evidence_bundle(client, principal):
    complaint = complaint_at("legal_advice")
    evidence_for(complaint, "second.png")
    response = client.post(reverse("complaints:bundle", args=[complaint.reference]))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "chronology.pdf" in names and "MANIFEST-SHA256.txt" in names
    assert len([n for n in names if n.startswith("evidence/")]) == 2
    manifest = archive.read("MANIFEST-SHA256.txt").decode()
    for evidence in complaint.evidence.all():
        assert evidence.sha256 in manifest
    chronology = PdfReader(io.BytesIO(archive.read("chronology.pdf")))
    assert complaint.reference in chronology.pages[0].extract_text()
    assert complaint.events.filter(kind="bundle").count() == 1


def test_bundle_file_names_open_on_windows(client, principal):
    complaint = complaint_at("legal_advice")
    hostile = evidence_for(complaint, "second.png")
    # Names kept before uploads were cleaned as they are now may hold anything.
    type(hostile).objects.filter(pk=hostile.pk).update(original_name='a<b>c:d"e|f?g*h\x01. ')
    evidence_for(complaint, "CON.png")
    response = client.post(reverse("complaints:bundle", args=[complaint.reference]))
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "evidence/02-a_b_c_d_e_f_g_h_.png" in names
    assert "evidence/03-CON.png" in names  # numbered, so no longer a device name


def test_an_e_mail_kept_under_an_html_name_is_an_eml_in_the_bundle(client, principal):
    complaint = complaint_at("legal_advice")
    email = evidence_for(complaint, "evil.eml", content=EML)
    # Stored before names followed the sniffed type:
    type(email).objects.filter(pk=email.pk).update(original_name="evil.html")
    response = client.post(reverse("complaints:bundle", args=[complaint.reference]))
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "evidence/02-evil.eml" in names  # after the screenshot complaint_at adds
    assert not any(name.endswith(".html") for name in names)


def test_tampered_evidence_is_refused_and_recorded(client, principal):
    complaint = ComplaintFactory()
    evidence = evidence_for(complaint)
    with open(evidence.file.path, "ab") as handle:
        handle.write(b"changed")
    url = reverse("complaints:evidence_download", args=[complaint.reference, evidence.pk])
    response = client.get(url)
    assert response.status_code == 409
    assert b"Tamper warning" in response.content
    assert complaint.events.filter(kind="evidence_tampered").exists()
    assert client.post(reverse("complaints:bundle", args=[complaint.reference])).status_code == 409


def test_removal_outcome_is_recorded_and_resolving_waits_for_it(client, principal):
    complaint = complaint_at("removal_requested")
    removal = complaint.removal_requests.get()
    response = post_move(client, complaint, "resolved", note="All settled.")
    assert "Record the outcome of each removal request" in messages_of(response)[0]
    page = response.content.decode()
    assert "Record the outcome" in page and "Not yet removed" not in page
    complaint.refresh_from_db()
    assert complaint.stage == "removal_requested"

    url = reverse("complaints:removal_outcome", args=[complaint.reference, removal.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"outcome": "refused", "outcome_at": "2026-01-11T10:00"})
    assert response.status_code == 200
    assert "Say what happened: the post was not removed" in response.content.decode()
    removal.refresh_from_db()
    assert removal.outcome == ""
    response = client.post(
        url,
        {"outcome": "refused", "outcome_at": "2026-01-11T10:00", "note": "Within their rules."},
        follow=True,
    )
    assert "Outcome recorded: refused by the platform." in messages_of(response)
    page = response.content.decode()
    assert "Refused by the platform · 11 Jan 2026" in page and "Within their rules." in page

    response = post_move(client, complaint, "resolved", note="All settled.")
    assert "moved to “Resolved”" in messages_of(response)[0]


def test_the_staff_support_step_asks_for_a_reason_when_no_member_of_staff_is_concerned(
    client, principal, user_with_role
):
    about_school = ComplaintFactory(about=About.SCHOOL)
    page = client.get(about_school.get_absolute_url()).content.decode()
    assert "Why this step is passed" in page and "Pass this step, with the reason" in page
    assert "How the staff member was supported" not in page
    response = post_move(client, about_school, "staff_supported", note="")
    assert "This field is required" in response.content.decode()
    response = post_move(client, about_school, "staff_supported", note="The post names no one.")
    assert "moved to “School personnel supported and reassured”" in messages_of(response)[0]
    page = response.content.decode()
    assert "The post names no one." in page and "Passed: about the school" in page

    about_staff = ComplaintFactory(about=About.STAFF)
    about_staff.staff_about.set([user_with_role("staff")])
    page = client.get(about_staff.get_absolute_url()).content.decode()
    assert "How the staff member was supported and reassured" in page
    assert "Move to “School personnel supported and reassured”" in page
    assert "Why this step is passed" not in page
    response = post_move(client, about_staff, "staff_supported", note="Met Mr B; reassured.")
    about_staff.refresh_from_db()
    assert about_staff.support_note == "Met Mr B; reassured."
    assert "Passed:" not in response.content.decode()

    # A post about school personnel recorded as about the school still has someone to support.
    staff_category = ComplaintFactory(about=About.SCHOOL, category="offensive_staff")
    page = client.get(staff_category.get_absolute_url()).content.decode()
    assert "How the staff member was supported and reassured" in page
    assert "Why this step is passed" not in page


def test_the_warning_is_offered_at_the_parents_meeting_with_its_letter(client, principal):
    complaint = complaint_at("parents_meeting")
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert 'data-testid="next-legal_warning_given"' in page
    assert 'data-testid="next-removal_requested"' in page
    assert reverse("complaints:letter", args=[complaint.reference, "legal_warning"]) in page


def test_warned_at_the_parents_meeting_the_removal_letter_is_offered_with_the_warning(
    client, principal
):
    complaint = move(complaint_at("parents_meeting"), "legal_warning_given")
    asked = timezone.now() - timedelta(days=1)
    services.complaint_request_removal(
        complaint=complaint,
        actor=principal,
        platform=complaint.platform,
        post_url=complaint.post_url,
        platform_reference="FB-123",
        requested_at=asked,
    )
    removal_url = reverse("complaints:letter", args=[complaint.reference, "removal_request"])
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert removal_url in page
    letter = client.post(removal_url).content.decode()
    assert f"On {timezone.localtime(asked):%-d %B %Y} the school also asked" in letter

    further = move(complaint, "governors_meeting")
    assert removal_url not in client.get(further.get_absolute_url()).content.decode()
    response = client.post(removal_url, follow=True)
    assert "not available" in messages_of(response)[0]


def test_a_note_is_added_to_a_finished_complaint_which_stays_read_only(client, principal):
    complaint = complaint_at("resolved")
    page = client.get(complaint.get_absolute_url()).content.decode()
    note_url = reverse("complaints:note_add", args=[complaint.reference])
    assert note_url in page
    assert f'href="{reverse("complaints:evidence_add", args=[complaint.reference])}"' not in page
    response = client.post(note_url, {"note": ""})
    assert "This field is required" in response.content.decode()
    response = client.post(note_url, {"note": "Parent apologised at the gate."}, follow=True)
    assert response.redirect_chain[-1][0] == complaint.get_absolute_url()
    assert "Note added to the chronology." in messages_of(response)
    assert "Note added" in response.content.decode()
    assert "Parent apologised at the gate." in response.content.decode()

    response = post_move(client, complaint, "legal_warning_given", note="x")
    assert "can no longer be changed" in messages_of(response)[0]
    removal = complaint.removal_requests.get()
    for url in (
        reverse("complaints:removal_add", args=[complaint.reference]),
        reverse("complaints:removal_outcome", args=[complaint.reference, removal.pk]),
        reverse("complaints:evidence_add", args=[complaint.reference]),
    ):  # a link kept from before it was finished: back to it, saying why
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == complaint.get_absolute_url()
    complaint.refresh_from_db()
    assert complaint.stage == "resolved"
    assert list(complaint.events.filter(kind="note").values_list("summary", flat=True)) == [
        "Parent apologised at the gate."
    ]


def test_only_the_principal_and_slt_add_notes(client, user_with_role):
    complaint = complaint_at("way_forward")  # the chair of governors can read it
    move(complaint, "resolved")
    url = reverse("complaints:note_add", args=[complaint.reference])
    client.force_login(user_with_role("chair_of_governors"))
    assert client.get(complaint.get_absolute_url()).status_code == 200
    assert client.post(url, {"note": "From the chair."}).status_code == 403
    client.force_login(user_with_role("slt"))
    assert client.post(url, {"note": "From SLT."}).status_code == 302
    assert list(complaint.events.filter(kind="note").values_list("summary", flat=True)) == [
        "From SLT."
    ]


def test_parent_concern_route(client, user_with_role):
    parent, other = user_with_role("parent"), user_with_role("parent")
    client.force_login(parent)
    response = client.post(
        reverse("complaints:concern_create"),
        {"subject": "Class photo online", "details": "A photo of my son was posted."},
        follow=True,
    )
    assert "has reached the principal" in messages_of(response)[0]
    Concern.objects.create(reference="CON-OTHER", raised_by=other, subject="Other", details="-")
    response = client.get(reverse("complaints:concern_list"))
    subjects = [c.subject for c in response.context["page_obj"].object_list]
    assert subjects == ["Class photo online"]
    assert client.get(reverse("complaints:board")).status_code == 403


def test_principal_answers_a_concern(client, principal, user_with_role):
    from complaints.services import concern_create

    concern = concern_create(actor=user_with_role("parent"), subject="Trip", details="Cost")
    url = reverse("complaints:concern_detail", args=[concern.reference])
    response = client.post(
        url,
        {"to_status": "answered", "expected_status": "received", "response": "Fund available."},
        follow=True,
    )
    concern.refresh_from_db()
    assert concern.status == "answered" and "updated" in messages_of(response)[0]


def test_calendar_add_and_remove(client, principal):
    url = reverse("complaints:calendar")
    response = client.post(
        url, {"kind": "inset", "name": "Extra INSET", "starts_on": "2026-11-20", "ends_on": "x"}
    )
    assert response.status_code == 200 and b"Extra INSET" in response.content
    response = client.post(
        url,
        {
            "kind": "inset",
            "name": "Extra INSET",
            "starts_on": "2026-11-20",
            "ends_on": "2026-11-19",
        },
    )
    assert b"The end is before the start" in response.content
    response = client.post(
        url,
        {
            "kind": "inset",
            "name": "Extra INSET",
            "starts_on": "2026-11-20",
            "ends_on": "2026-11-20",
        },
        follow=True,
    )
    from complaints.models import CalendarEntry

    entry = CalendarEntry.objects.get(name="Extra INSET")
    client.post(reverse("complaints:calendar_delete", args=[entry.pk]))
    assert not CalendarEntry.objects.filter(pk=entry.pk).exists()


def test_stage_due_is_counted_in_school_days(principal):
    complaint = complaint_at("staff_supported")
    assert complaint.stage == Stage.STAFF_SUPPORTED
    assert complaint.stage_due > timezone.localdate()


def test_principal_recording_a_complaint_about_themselves_hands_it_to_the_chair(client, principal):
    response = client.post(
        reverse("complaints:create"),
        {
            "platform": "facebook",
            "posted_at": "2026-01-10T09:00",
            "content": "The head is hopeless",
            "about": "staff",
            "staff_about": [principal.pk],
            "category": "complaint_staff",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "gone to the chair of governors" in messages_of(response)[0]
    assert OnlineComplaint.objects.get().about_principal


def test_evidence_added_to_a_complaint_finished_while_the_form_was_open_is_refused_with_a_message(
    client, principal
):
    """Someone resolves the complaint just after this page loaded it: the upload is refused
    with a message on the complaint's page, not an error page, and nothing is added."""
    complaint = complaint_at("removal_requested")
    files_before = complaint.evidence.count()

    def resolved_meanwhile(sender, instance, **kwargs):
        post_init.disconnect(resolved_meanwhile, sender=OnlineComplaint)
        OnlineComplaint.objects.filter(pk=complaint.pk).update(stage=Stage.RESOLVED)

    post_init.connect(resolved_meanwhile, sender=OnlineComplaint, weak=False)
    url = reverse("complaints:evidence_add", args=[complaint.reference])
    try:
        response = client.post(url, {"files": upload("late.png")}, follow=True)
    finally:
        post_init.disconnect(resolved_meanwhile, sender=OnlineComplaint)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == complaint.get_absolute_url()
    assert messages_of(response) == [
        f"{complaint.reference} is resolved and can no longer be changed."
    ]
    assert complaint.evidence.count() == files_before


def test_an_answered_concern_cannot_be_reopened_and_says_so(client, principal, user_with_role):
    from complaints.services import concern_create

    concern = concern_create(actor=user_with_role("parent"), subject="Trip", details="Cost")
    url = reverse("complaints:concern_detail", args=[concern.reference])
    client.post(url, {"to_status": "answered", "expected_status": "received", "response": "Yes."})
    response = client.post(
        url, {"to_status": "in_progress", "expected_status": "answered"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    assert messages_of(response)[-1] == (
        f"{concern.reference} is answered and can no longer be changed."
    )
    concern.refresh_from_db()
    assert concern.status == "answered" and concern.events.count() == 2


def test_a_concern_answered_by_someone_else_meanwhile_is_not_answered_twice(
    client, principal, user_with_role
):
    from complaints.services import concern_create

    concern = concern_create(actor=user_with_role("parent"), subject="Trip", details="Cost")
    url = reverse("complaints:concern_detail", args=[concern.reference])
    client.post(url, {"to_status": "in_progress", "expected_status": "received"})
    response = client.post(
        url,
        {"to_status": "answered", "expected_status": "received", "response": "Late"},
        follow=True,
    )
    assert "changed while you were working on it" in messages_of(response)[-1]
    concern.refresh_from_db()
    assert concern.status == "in_progress" and concern.response == ""


def test_a_parent_reads_their_own_concern_and_its_reply(client, user_with_role):
    from complaints.services import concern_create, concern_transition

    parent = user_with_role("parent")
    concern = concern_create(actor=parent, subject="Trip", details="Who pays for it?")
    url = reverse("complaints:concern_detail", args=[concern.reference])
    client.force_login(parent)
    page = client.get(url)
    assert page.status_code == 200
    assert "Who pays for it?" in page.text and "has not replied yet" in page.text
    assert 'name="to_status"' not in page.text  # a parent reads, the school answers
    concern_transition(
        concern=concern,
        to_status="answered",
        actor=user_with_role("principal"),
        response="The fund pays.",
        expected_status="received",
    )
    assert "The fund pays." in client.get(url).text
    assert AuditLogEntry.objects.filter(
        user=parent, action="view", object_reference=concern.reference
    ).exists()


def test_a_parent_cannot_answer_their_concern_nor_open_another_parents(client, user_with_role):
    from complaints.services import concern_create

    parent = user_with_role("parent")
    own = concern_create(actor=parent, subject="Trip", details="Cost")
    other = concern_create(actor=user_with_role("parent"), subject="Bus", details="Late")
    client.force_login(parent)
    assert client.get(reverse("complaints:concern_detail", args=[other.reference])).status_code == (
        404
    )
    answer = {"to_status": "answered", "expected_status": "received", "response": "Done."}
    url = reverse("complaints:concern_detail", args=[own.reference])
    assert client.post(url, answer).status_code == 403
    own.refresh_from_db()
    assert own.status == "received"


def csv_rows(response) -> list[list[str]]:
    import csv

    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_board_exports_its_filtered_set_formula_safe_and_audited(client, principal):
    ComplaintFactory(platform="x")
    facebook = ComplaintFactory(platform="facebook", content="=HYPERLINK(evil)")
    response = client.get(reverse("complaints:export"), {"platform": "facebook"})
    rows = csv_rows(response)
    assert rows[0][:3] == ["Reference", "Stage", "Stage due"]
    assert [row[0] for row in rows[1:]] == [facebook.reference]
    assert "HYPERLINK" not in str(rows)  # what was posted is not exported
    entry = AuditLogEntry.objects.get(action="export")
    assert entry.user == principal and entry.object_reference == (
        "complaints list filtered by platform=facebook"
    )


def test_a_complaint_about_the_principal_is_not_in_the_principals_export(client, principal):
    ComplaintFactory(about_principal=True)
    shown = ComplaintFactory()
    rows = csv_rows(client.get(reverse("complaints:export")))
    assert [row[0] for row in rows[1:]] == [shown.reference]


def test_concerns_export_their_filtered_set_formula_safe_and_audited(
    client, principal, user_with_role
):
    from complaints.services import concern_create

    parent = user_with_role("parent")
    concern_create(actor=parent, subject="Trip", details="Cost")
    wanted = concern_create(actor=parent, subject="=cmd|' /C calc'!A0", details="…")
    Concern.objects.filter(pk=wanted.pk).update(status="in_progress")
    response = client.get(reverse("complaints:concern_export"), {"status": "in_progress"})
    rows = csv_rows(response)
    assert rows[0] == ["Reference", "Raised at", "Raised by", "Subject", "Status", "Answered"]
    assert [row[0] for row in rows[1:]] == [wanted.reference]
    assert rows[1][3].startswith("'=")  # no formula injection into spreadsheets
    assert AuditLogEntry.objects.filter(
        user=principal,
        action="export",
        object_reference="concerns list filtered by status=in_progress",
    ).exists()


def test_the_concerns_list_filters_and_links_its_export(client, principal, user_with_role):
    from complaints.services import concern_create

    parent = user_with_role("parent")
    concern_create(actor=parent, subject="Trip", details="Cost")
    concern_create(actor=parent, subject="Bus", details="Late")
    page = client.get(reverse("complaints:concern_manage"), {"q": "bus"}).text
    assert ">Bus<" in page and ">Trip<" not in page
    assert f'href="{reverse("complaints:concern_export")}?q=bus"' in page
