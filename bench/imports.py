"""How long the two large imports take (issue 14.5): a parents CSV and a web filter export
of 50,000 rows each, imported as their queued jobs run them (checking every row with
progress, then saving in bulk, invitations queued), one after the other.

    python -m bench.imports [ROWS]

runs on a throw-away copy of the configured database (Django's test database, made and
dropped here, everything rolled back) and prints seconds per import; the import task's
soft time limit is 5 minutes.
``bench/tests`` runs ``measure`` at a small size so it cannot rot.
"""

import json
import os
import sys
import time

ROWS = 50_000


def parents_csv(rows: int) -> str:
    lines = (f"Parent Number{n},parent{n}@bench.example,Year {n % 7 + 1}\n" for n in range(rows))
    return "name,email,year_group\n" + "".join(lines)


def filter_alerts_csv(rows: int) -> str:
    lines = (
        f"0{n % 9 + 1}/10/2026 {n % 24:02d}:{n % 60:02d}:{n % 59:02d},pupil{n % 900},"
        f"PC{n % 40},http://site{n}.example/,{('Gambling', 'Adult', 'Chat')[n % 3]},blocked\n"
        for n in range(rows)
    )
    return "timestamp,user,device,url,category,action\n" + "".join(lines)


def measure(rows: int = ROWS) -> dict[str, float]:
    """Seconds each import's job takes from queued to done; fails unless all rows came in."""
    from incidents.imports import incidents_import_job_run, incidents_import_start
    from overstone.roles import Role
    from overstone.tests.factories import UserFactory
    from training.services.parents import parents_import_job_run, parents_import_start

    coordinator = UserFactory(roles=[Role.COORDINATOR])
    seconds = {}
    job, _ = parents_import_start(csv_text=parents_csv(rows), actor=coordinator)
    seconds["parents"] = _timed_run(parents_import_job_run, job, rows)
    job, _ = incidents_import_start(text=filter_alerts_csv(rows), actor=coordinator)
    seconds["filter_alerts"] = _timed_run(incidents_import_job_run, job, rows)
    return seconds


def _timed_run(run, job, rows: int) -> float:
    from overstone.models import ImportJob

    began = time.perf_counter()
    job = run(job_id=job.pk)
    elapsed = round(time.perf_counter() - began, 1)
    assert job.status == ImportJob.Status.DONE, job.errors[:5]
    counts = [n for n in job.result.values() if isinstance(n, int)]  # not the warnings
    assert sum(counts) == rows, job.result
    return elapsed


def main(argv: list[str]) -> dict[str, float]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overstone.settings")
    django.setup()
    from django.db import connection, transaction
    from django.test.utils import setup_test_environment

    from overstone.schools import default_school, school_scope

    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0)
    try:
        # Rolled back at the end, so nothing it queues (invitations) reaches the broker.
        with transaction.atomic(), school_scope(default_school()):
            seconds = measure(int(argv[0]) if argv else ROWS)
            transaction.set_rollback(True)
        return seconds
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
