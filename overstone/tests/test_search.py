"""Search across everything (overstone.search): each role finds what its pages show it,
grouped by kind, linked to each record; typos on PostgreSQL, substrings on SQLite."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Concern
from complaints.tests.factories import ComplaintFactory
from incidents.models import PupilInvolved
from incidents.tests.factories import IncidentFactory
from overstone import search as kernel_search
from overstone.models import AuditLogEntry
from overstone.roles import Role
from overstone.schools import school_scope
from overstone.search import PER_GROUP
from overstone.tests.factories import UserFactory, person_at
from training.tests.factories import BookingFactory, MeetingFactory, ParentFactory, SessionFactory

NAME = "Fotheringham"
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="typos and word stems are matched by pg_trgm and full-text search, PostgreSQL only",
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the substring fallback is what SQLite searches by"
)


def search(client, user, q: str, **params):
    client.force_login(user)
    response = client.get(reverse("search"), {"q": q, **params})
    assert response.status_code == 200
    return response


def incident_naming(pupil: str, **fields):
    incident = IncidentFactory(**fields)
    PupilInvolved.objects.create(incident=incident, name=pupil, year_group="8")
    return incident


def concern_by(parent, reference: str, subject: str) -> Concern:
    return Concern.objects.create(
        reference=reference, raised_by=parent, subject=subject, details="Please call me."
    )


@pytest.fixture
def school(user_with_role):
    """One record of each kind naming the same pupil, and a person in each role."""
    people = {role: user_with_role(role) for role in Role if role != Role.PARENT}
    people["parent"] = ParentFactory(last_name=NAME)
    people["other_parent"] = ParentFactory()
    records = {
        "staff_incident": incident_naming(f"Jamie {NAME}", reported_by=people[Role.STAFF]),
        "other_incident": incident_naming(f"Alex {NAME}"),
        "complaint": ComplaintFactory(pupils_about=f"Jamie {NAME}"),
        "about_principal": ComplaintFactory(
            content=f"The principal ignored {NAME}'s family.", about_principal=True
        ),
        "own_concern": concern_by(people["parent"], "CON-2026-0001", f"{NAME} homework"),
        "other_concern": concern_by(people["other_parent"], "CON-2026-0002", f"{NAME} bus"),
        "meeting": MeetingFactory(minutes=f"The {NAME} case was discussed."),
        "booking": BookingFactory(
            parent=people["parent"], session=SessionFactory(title=f"{NAME} evening")
        ),
    }
    return people, records


def found(response, records) -> set[str]:
    """Which of the school's records the results link to."""
    html = response.content.decode()
    links = {
        key: f'href="{record.get_absolute_url()}"'
        for key, record in records.items()
        if key not in ("meeting", "booking")
    }
    links["meeting"] = f'href="{reverse("training:meeting_detail", args=[records["meeting"].pk])}"'
    found = {key for key, link in links.items() if link in html}
    # A booking links to the bookings page, which the navigation links to as well: the
    # group of one's own bookings is what only a result shows.
    if "My training bookings" in html:
        found.add("booking")
    return found


MANAGERS_FIND = {
    "staff_incident",
    "other_incident",
    "complaint",
    "own_concern",
    "other_concern",
    "meeting",
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, expected",
    [
        # Staff: only the incident they logged.
        (Role.STAFF, {"staff_incident"}),
        # The coordinator: every incident and the minutes; complaints are not theirs.
        (Role.COORDINATOR, {"staff_incident", "other_incident", "meeting"}),
        # SLT: every incident, complaint (complaints.selectors.visible_complaints_q) and
        # concern, and the minutes.
        (Role.SLT, MANAGERS_FIND | {"about_principal"}),
        # The principal: the same but the complaint about themselves.
        (Role.PRINCIPAL, MANAGERS_FIND),
        # The chair: the complaint about the principal (not the one never escalated), minutes.
        (Role.CHAIR_OF_GOVERNORS, {"about_principal", "meeting"}),
        # Governors: the minutes, no names of pupils, parents or staff.
        (Role.GOVERNOR, {"meeting"}),
        # A parent: their own concern and booking, nobody else's, no safeguarding record.
        ("parent", {"own_concern", "booking"}),
    ],
)
def test_each_role_finds_exactly_what_its_pages_show_it(client, school, who, expected):
    people, records = school
    response = search(client, people[who], NAME)
    assert found(response, records) == expected


@pytest.mark.django_db
def test_parent_accounts_and_staff_are_found_by_name_by_the_coordinator_only(client, school):
    people, _ = school
    staff = people[Role.STAFF]
    coordinator = search(client, people[Role.COORDINATOR], NAME).content.decode()
    assert people["parent"].email in coordinator
    found_staff = search(client, people[Role.COORDINATOR], staff.last_name).content.decode()
    assert f"?search={staff.username}" in found_staff
    for who in (Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS, Role.STAFF, "other_parent"):
        html = search(client, people[who], NAME).content.decode()
        assert people["parent"].email not in html
        assert "Parent accounts" not in html
        assert (
            f"?search={staff.username}"
            not in search(client, people[who], staff.last_name).content.decode()
        )


@pytest.mark.django_db
def test_results_are_grouped_with_counts_and_each_kind_pages_on_its_own(client, user_with_role):
    coordinator = user_with_role(Role.COORDINATOR)
    incidents = [incident_naming(f"Sam {NAME}") for _ in range(PER_GROUP + 2)]
    response = search(client, coordinator, NAME)
    html = response.content.decode()
    assert sum(incident.reference in html for incident in incidents) == PER_GROUP
    assert f"Show all {PER_GROUP + 2} e-safety incidents" in html
    one_kind = search(client, coordinator, NAME, kind="incidents").content.decode()
    assert all(incident.reference in one_kind for incident in incidents)
    assert "All results for" in one_kind


@pytest.mark.parametrize("matching, shown", [(3, "3"), (4, "3+")])
@pytest.mark.django_db
def test_a_word_in_very_many_records_is_counted_up_to_a_limit_and_shown_newest_first(
    client, user_with_role, monkeypatch, matching, shown
):
    monkeypatch.setattr(kernel_search, "COUNT_AT_MOST", 3)
    coordinator = user_with_role(Role.COORDINATOR)
    incidents = [incident_naming(f"Sam {NAME}") for _ in range(matching)]
    html = search(client, coordinator, NAME).content.decode()
    assert f'<span class="badge text-bg-secondary">{shown}</span>' in html
    assert f"{shown} results for" in html
    one_kind = search(client, coordinator, NAME, kind="incidents").content.decode()
    newest = sorted(incidents, key=lambda incident: incident.occurred_at, reverse=True)
    assert sum(incident.reference in one_kind for incident in incidents) == 3
    if matching > 3:  # past the limit, the newest only: the oldest is not reachable
        assert newest[-1].reference not in one_kind


@pytest.mark.django_db
def test_every_word_must_match_somewhere(client, user_with_role):
    coordinator = user_with_role(Role.COORDINATOR)
    both = incident_naming(f"Jamie {NAME}", description="Nasty messages on Instagram.")
    name_only = incident_naming(f"Robin {NAME}", description="A gambling site.")
    html = search(client, coordinator, f"{NAME} instagram").content.decode()
    assert both.reference in html
    assert name_only.reference not in html


@pytest.mark.django_db
def test_an_incident_is_found_by_the_names_of_the_staff_who_logged_it_or_were_involved(
    client, user_with_role
):
    coordinator = user_with_role(Role.COORDINATOR)
    reporter = user_with_role(Role.STAFF, first_name="Rosalind", last_name="Pemberton")
    involved = user_with_role(Role.STAFF, first_name="Tobias", last_name="Quigley")
    logged = IncidentFactory(reported_by=reporter)
    involving = IncidentFactory()
    involving.staff_involved.add(involved)
    neither = IncidentFactory()
    by_reporter = search(client, coordinator, "Rosalind").content.decode()
    assert logged.reference in by_reporter and involving.reference not in by_reporter
    by_involved = search(client, coordinator, "Quigley").content.decode()
    assert involving.reference in by_involved and logged.reference not in by_involved
    # Every word must match, each through any relation: one record with both names.
    involving.staff_involved.add(reporter)
    both = search(client, coordinator, "Rosalind Quigley").content.decode()
    assert involving.reference in both
    assert logged.reference not in both and neither.reference not in both


@pytest.mark.django_db
def test_nothing_found_says_so(client, user_with_role):
    coordinator = user_with_role(Role.COORDINATOR)
    incident_naming(f"Jamie {NAME}")
    response = search(client, coordinator, "Zyxwvut")
    assert b'data-testid="search-empty"' in response.content
    response = search(client, coordinator, NAME)
    assert b'data-testid="search-empty"' not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q, message",
    [("a", "at least 2 letters"), ("x" * 201, "at most 200"), ("Jamie\x00", "Null characters")],
)
def test_a_search_that_cannot_be_run_says_why(client, user_with_role, q, message):
    response = search(client, user_with_role(Role.COORDINATOR), q)
    assert message in response.content.decode()


@pytest.mark.django_db
def test_searching_writes_no_audit_entry_and_logs_no_words(client, user_with_role, caplog):
    coordinator = user_with_role(Role.COORDINATOR)
    incident = incident_naming(f"Jamie {NAME}")
    with caplog.at_level(logging.DEBUG):
        html = search(client, coordinator, NAME).content.decode()
    assert incident.reference in html
    assert not AuditLogEntry.objects.exists()
    assert NAME not in caplog.text
    client.get(incident.get_absolute_url())  # opening the record is audited, as before
    assert AuditLogEntry.objects.filter(object_reference=incident.reference).exists()


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_rows_found(
    client, user_with_role, django_assert_max_num_queries
):
    principal = user_with_role(Role.PRINCIPAL)
    client.force_login(principal)
    url = f"{reverse('search')}?q={NAME}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    incident_naming(f"Jamie {NAME}")
    ComplaintFactory(pupils_about=f"Jamie {NAME}")
    few = queries()
    for _ in range(12):
        incident_naming(f"Jamie {NAME}")
        ComplaintFactory(pupils_about=f"Jamie {NAME}")
    assert queries() == few
    # The session, the user and roles, then a count and a page for each kind the principal
    # may search, whatever the number of rows.
    with django_assert_max_num_queries(25):
        client.get(url)


@pytest.mark.django_db
def test_the_search_box_is_in_the_header_for_every_role(client, user_with_role):
    for role in Role:
        client.force_login(user_with_role(role))
        assert f'action="{reverse("search")}"'.encode() in client.get(reverse("home")).content


@pytest.mark.django_db
def test_someone_with_no_role_here_is_not_shown_a_search_box_they_could_not_use(client):
    """An account made before its role, or whose roles were taken away: search would
    answer 403, so the header offers no box (a crawl of every page found it)."""
    client.force_login(UserFactory())
    home = client.get(reverse("home"))
    assert b"No role yet" in home.content
    assert f'action="{reverse("search")}"'.encode() not in home.content
    assert client.get(reverse("search"), {"q": "anything"}).status_code == 403


@on_sqlite
@pytest.mark.django_db
def test_sqlite_finds_part_of_a_word_whatever_its_case(client, user_with_role):
    coordinator = user_with_role(Role.COORDINATOR)
    incident = incident_naming(f"Jamie {NAME}")
    assert incident.reference in search(client, coordinator, "OTHERING").content.decode()
    assert incident.reference not in search(client, coordinator, "Fotheringam").content.decode()


@on_postgres
@pytest.mark.django_db
def test_postgres_finds_a_name_typed_with_a_typo(client, user_with_role):
    coordinator = user_with_role(Role.COORDINATOR)
    incident = incident_naming(f"Jamie {NAME}")
    assert incident.reference in search(client, coordinator, "Fotheringam").content.decode()
    assert incident.reference not in search(client, coordinator, "Pemberton").content.decode()


@on_postgres
@pytest.mark.django_db
def test_postgres_finds_other_forms_of_a_word(client, user_with_role):
    coordinator = user_with_role(Role.COORDINATOR)
    incident = IncidentFactory(description="Pupils were bullying a classmate in a group chat.")
    IncidentFactory(description="A gambling site.")
    html = search(client, coordinator, "bullied").content.decode()
    assert incident.reference in html
    assert html.count('href="/incidents/INC-') == 1


@on_postgres
@pytest.mark.django_db
def test_postgres_has_the_search_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'incidents_incident'")
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "incidents_incident_description_school_trgm",
        "incidents_incident_description_school_fts",
    } <= names
    # Staff, parents and posters are searched by name in auth_user.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'auth_user'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"auth_user_last_name_trgm", "auth_user_email_fts", "auth_user_username_trgm"} <= names


@on_postgres
@pytest.mark.django_db
def test_postgres_search_indexes_of_records_kept_per_school_lead_with_the_school():
    """A search runs in one school: an index of every school's rows would make the
    school's own rows, read one by one, look cheaper once a trust has many schools."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexdef LIKE '%USING gin%' "
            "AND tablename IN ('incidents_incident', 'complaints_onlinecomplaint', "
            "'complaints_concern', 'pupils_pupil', 'training_trainingsession', "
            "'training_workingpartymeeting')"
        )
        indexes = dict(cursor.fetchall())
    assert len(indexes) == 2 * (3 + 8 + 3 + 3 + 2 + 3)  # a trigram and a word index each
    assert all("USING gin (school_id, " in definition for definition in indexes.values())
    assert "gin_trgm_ops" in indexes["pupils_pupil_last_name_school_trgm"]
    assert "to_tsvector" in indexes["pupils_pupil_last_name_school_fts"]


@on_postgres
@pytest.mark.django_db
def test_postgres_pupils_named_are_looked_for_among_the_searched_schools_pupils(schools):
    """The pupils of a name are read from the school's own pupils, not the trust's (their
    ids then find the incidents naming them)."""
    one, two = schools
    principal = person_at(Role.PRINCIPAL, one)
    with school_scope(one), CaptureQueriesContext(connection) as queries:
        kernel_search.search_results(user=principal, text="Freya")
    pupils = [q["sql"] for q in queries.captured_queries if 'FROM "pupils_pupil"' in q["sql"]]
    assert pupils
    assert all(f'"pupils_pupil"."school_id" = {one.pk}' in sql for sql in pupils)


@on_postgres
@pytest.mark.django_db
def test_postgres_search_costs_text_tests_truly_and_only_for_itself(user_with_role):
    """Its planner setting (kernel_search.TEXT_TEST_COST) holds for the search's own
    queries, and every query after it is planned as before."""
    principal = user_with_role(Role.PRINCIPAL)
    with CaptureQueriesContext(connection) as queries:
        kernel_search.search_results(user=principal, text="bullying")
    sql = [query["sql"] for query in queries.captured_queries]
    setting = next(i for i, query in enumerate(sql) if "set_config('cpu_operator_cost'" in query)
    assert f"'{kernel_search.TEXT_TEST_COST}', true" in sql[setting]
    assert any("incidents_incident" in later for later in sql[setting + 1 :])
    with connection.cursor() as cursor:
        cursor.execute("SHOW cpu_operator_cost")
        assert cursor.fetchone()[0] == "0.0025"


@pytest.mark.django_db
def test_a_reference_finds_that_record_alone_however_it_is_typed(client, user_with_role):
    principal = user_with_role(Role.PRINCIPAL)
    wanted = IncidentFactory(reference="INC-2026-0042")
    IncidentFactory(reference="INC-2026-0043")
    html = search(client, principal, "inc-2026-0042").content.decode()
    assert wanted.reference in html
    assert "INC-2026-0043" not in html
