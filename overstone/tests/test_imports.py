"""The kernel's side of imports: the CSV reader both imports (pupils, parents) use, and
how long a finished import keeps its row problems."""

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.urls import reverse
from django.utils import timezone

from overstone.imports import csv_table, import_job_errors_purge
from overstone.models import ImportJob
from overstone.roles import Role
from overstone.tasks import purge_import_errors
from overstone.tests.imports import import_through_the_page

ALIASES = {"email": "email", "e_mail": "email", "year": "year_group", "year_group": "year_group"}


def read(text: str) -> tuple[list, list]:
    errors: list[tuple[int, str]] = []
    rows = list(
        csv_table(
            text, aliases=ALIASES, required=("email", "year_group"), names="email, year",
            errors=errors,
        )
    )  # fmt: skip
    return rows, errors


def test_rows_come_under_the_known_column_names_stripped_and_blank_lines_skipped():
    rows, errors = read("E Mail,Notes,YEAR\n a@example.org ,anything, Year 1\n\n,,\n")
    assert rows == [(2, {"email": "a@example.org", "year_group": "Year 1"})]
    assert errors == []


def test_each_unreadable_row_is_a_problem_and_the_others_still_come():
    rows, errors = read('email,year\na@example.org\nb@example.org,"Year 2\x00"\nc@example.org,3\n')
    assert [line for line, _ in rows] == [4]
    assert errors == [
        (2, "Expected 2 values, found 1."),
        (3, "The line contains a NUL character (is this a text file?)."),
    ]


def test_an_empty_file_or_a_header_without_the_columns_gives_no_rows():
    assert read("") == ([], [(1, "The file is empty.")])
    assert read("email,notes\na@example.org,x\n") == (
        [],
        [(1, "The header must name the columns email, year (missing: year_group).")],
    )


@pytest.mark.django_db
def test_the_row_problems_of_an_import_are_emptied_30_days_after_it_finished(
    client, user_with_role, settings
):
    client.force_login(user_with_role(Role.COORDINATOR))
    bad = b"name,email,year_group\nJo Parent,jo.parent@home,Year 1\n"
    page = import_through_the_page(client, reverse("training:parent_import"), bad)
    assert "jo.parent@home" in page.text
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED

    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(finished_at=now - timedelta(days=29))
    assert import_job_errors_purge(now=now) == 0
    ImportJob.objects.filter(pk=job.pk).update(finished_at=now - timedelta(days=31))
    assert import_job_errors_purge(now=now) == 1
    assert import_job_errors_purge(now=now) == 0  # nothing left to empty

    page = client.get(reverse("training:parent_import_job", args=[job.pk]))
    assert "jo.parent@home" not in page.text
    assert "Nothing was imported." in page.text and "list of problems has been deleted" in page.text
    beat = settings.CELERY_BEAT_SCHEDULE.values()
    schedule = {entry["task"]: entry["schedule"] for entry in beat}
    assert schedule[purge_import_errors.name] == crontab(hour=5, minute=35)
