"""Smoke tests so the bench cannot rot: the generator at a tiny size on the test
database, the pages it drives, the client loop and the table. `make bench` itself runs
only by hand (bench/README.md)."""

import random
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench import data, load, pages, table
from complaints.models import ComplaintEvent, OnlineComplaint
from incidents.models import Evidence, Incident, PupilInvolved
from pupils.models import Pupil
from training.models import Audience, Booking, TrainingSession


@pytest.fixture
def tiny(db):
    return data.generate(data.TINY)


def test_the_generator_writes_every_table_at_a_tiny_size(tiny):
    sizes = data.TINY
    assert Incident.objects.count() == sizes.incidents
    assert Evidence.objects.count() == -(-sizes.incidents // sizes.evidence_every)
    assert OnlineComplaint.objects.count() == sizes.complaints
    assert ComplaintEvent.objects.exists()
    assert TrainingSession.objects.count() == sizes.sessions
    assert Booking.objects.count() == sizes.bookings
    assert Pupil.objects.count() == sizes.pupils
    assert Pupil.parents.through.objects.count() == sizes.pupils
    # Incidents name picked pupils and free-text ones; the bench's pupil is on many.
    assert PupilInvolved.objects.filter(pupil__isnull=True).exists()
    bench_pupil = Pupil.objects.get(number=data.BENCH_PUPIL)
    named = PupilInvolved.objects.filter(pupil=bench_pupil).values("incident").distinct()
    assert named.count() >= sizes.incidents // sizes.bench_pupil_every
    assert data.incidents_grow_to(sizes.incidents + 7) == 7
    assert Incident.objects.count() == sizes.incidents + 7
    # Sequences were reset: the app can still add rows after a bulk load.
    assert Incident.objects.create(
        reference="INC-X", occurred_at=timezone.now(), reported_by_id=tiny.staff[0],
        category="hate", description="after the load",
    ).pk > sizes.incidents + 7  # fmt: skip


def test_every_bench_page_answers_with_a_fixed_number_of_queries(tiny):
    upcoming = TrainingSession.objects.filter(
        audience=Audience.PARENTS, starts_at__gt=timezone.now()
    ).first()
    for page in pages.pages(deep_row=50):
        assert pages.queries_per_request(page, session_pk=upcoming.pk) > 0, page.name


def timeline_entries(number: str) -> int:
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench_principal"))
    response = client.get(reverse("pupils:detail", args=[number]))
    assert response.status_code == 200
    return response.content.decode().count('data-testid="timeline-entry"')


def test_the_pupil_page_makes_as_many_queries_however_many_incidents_name_the_pupil(tiny):
    page = next(page for page in pages.pages(deep_row=50) if page.name == "pupil page")
    pupil = Pupil.objects.get(number=data.BENCH_PUPIL)
    entries, queries = timeline_entries(pupil.number), pages.queries_per_request(page)
    now = timezone.now()
    data.incidents_add(
        40, rng=random.Random(1), staff=tiny.staff, start=now - timedelta(days=300), end=now,
        evidence_every=2, now=now, pupils=[data.Named(pupil.pk, pupil.full_name, pupil.year_group)],
        bench_pupil_every=1,
    )  # fmt: skip
    assert timeline_entries(pupil.number) == entries + 40
    assert pages.queries_per_request(page) == queries


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the raw SQL is PostgreSQL's")
def test_the_annual_report_is_measured_against_its_raw_sql(tiny):
    from bench import annual

    figures = annual.measure(timezone.localdate().year - 1, repeat=1)
    assert figures["sql"] > 0 and figures["task"] > figures["counting"] > 0
    assert figures["peak"] > 0


def test_the_client_loop_logs_in_and_is_bounded(live_server, user_with_role):
    user_with_role("coordinator", username="loop", password=data.PASSWORD)
    browser = load.Browser(live_server.url)
    browser.login("loop", data.PASSWORD)
    timings = load.burst(lambda thread, n: browser.request("/")[0], requests=5, threads=2)
    assert len(timings.seconds) == 5 and timings.errors == 0 and timings.per_second > 0


def test_percentiles_and_the_table_show_ratios_to_the_floor():
    assert load.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95) == 10
    assert load.percentile([3, 1, 2], 50) == 2
    printed = table.pages_table(
        [
            table.PageResult("floor", 0.010, 0.020, 100.0, 3),
            table.PageResult("list", 0.025, 0.060, 40.0, 7),
        ]
    )
    assert "2.50" in printed and "3.00" in printed and "0.40" in printed
    reports = table.reports_table(
        [
            table.ReportResult(100_000, 0.2, 0.3, 0.9, 10 * 2**20),
            table.ReportResult(1_000_000, 1.0, 1.5, 2.0, 11 * 2**20),
        ]
    )
    assert "1,000,000 incidents" in reports and "1.10" in reports


def test_the_mixed_role_load_is_bounded_and_counts_errors(live_server, user_with_role):
    from bench import soak

    accounts = {}
    for role in ("coordinator", "staff", "parent"):
        user_with_role(role, username=f"bench_{role}", password=data.PASSWORD)
        accounts[role] = [f"bench_{role}"]
    users = soak.users_for(3, accounts)
    results = soak.run(
        live_server.url, users, soak.role_paths(), data.PASSWORD, seconds=2, pause=0.1
    )
    assert {r.role for r in results} == {"coordinator", "staff", "parent"}
    assert all(r.seconds and not r.errors for r in results), [r.errors for r in results]
    assert "all" in soak.summary(results, 2.0)


def test_the_import_bench_runs_both_imports_at_a_small_size(db):
    from bench import imports

    seconds = imports.measure(rows=300)
    assert set(seconds) == {"parents", "filter_alerts"}
    assert all(value >= 0 for value in seconds.values())


def test_a_trust_is_written_school_by_school_with_its_members(db):
    from overstone.models import Membership, School
    from overstone.schools import school_scope

    ids = data.trust_generate(data.TINY, schools=2)
    assert list(School.objects.order_by("pk").values_list("code", flat=True)) == ["S01", "S02"]
    for school_id in ids:
        with school_scope(school_id):
            assert Pupil.objects.count() == data.TINY.pupils
    assert Incident._base_manager.count() == 2 * data.TINY.incidents
    # The bench's school has the accounts the pages log in as; the trust roles are held
    # in every school; the second school has its own people.
    assert data.bench_school().pk == ids[0]
    members = Membership.objects.filter(user__username__in=["bench_coordinator", "bench_trust_lead",
                                                            "bench_s02_principal"])  # fmt: skip
    assert set(members.values_list("user__username", "school_id")) == {
        ("bench_coordinator", ids[0]), ("bench_trust_lead", None), ("bench_s02_principal", ids[1]),
    }  # fmt: skip
    # The indexes dropped for the load were built again.
    with connection.cursor() as cursor:
        names = {
            index
            for constraints in [
                connection.introspection.get_constraints(cursor, "incidents_incident")
            ]
            for index, details in constraints.items()
            if details["index"]
        }
    assert "incident_recent_first" in names


def test_scaled_out_tasks_are_counted_once_per_id_over_every_workers_log(tmp_path):
    from bench import scaled

    (tmp_path / "worker1.log").write_text(
        "Task a.b[outbox-1] received\nTask a.b[outbox-1] succeeded in 0.1s: True\n"
        "Task a.b[outbox-2] received\nTask a.b[outbox-2] succeeded in 0.1s: None\n"
    )
    (tmp_path / "worker2.log").write_text(
        "Task a.b[outbox-2] received\nTask a.b[outbox-2] succeeded in 0.1s: None\n"
        "Task a.b[outbox-3] received\n"
    )
    logs = [tmp_path / "worker1.log", tmp_path / "worker2.log"]
    counts = scaled.task_counts(["outbox-1", "outbox-2", "outbox-3"], logs)
    assert (counts.succeeded_once, counts.succeeded_twice_or_more, counts.never_succeeded) == (
        1, 1, 1,
    )  # fmt: skip
    assert counts.received_twice_or_more == 1
    assert counts.by_worker == {"worker1": 2, "worker2": 1}


def test_the_load_alternates_between_web_processes_on_one_session(live_server, user_with_role):
    from bench import soak

    user_with_role("parent", username="bench_parent", password=data.PASSWORD)
    # The same server twice here (one live server): each request may go to either.
    results = soak.run(
        [live_server.url, live_server.url],
        [("parent", "bench_parent")], soak.role_paths(), data.PASSWORD, seconds=1, pause=0.05,
    )  # fmt: skip
    assert results[0].seconds and not results[0].errors, results[0].errors
