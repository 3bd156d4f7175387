"""The bench's steps that need Django, each run as ``python -m bench.cli STEP`` in the
environment bench/run.py prepares; each prints JSON on its last line."""

import json
import os
import sys


def main(argv: list[str]) -> object:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overstone.settings")
    django.setup()
    from bench import data
    from overstone.schools import school_scope

    step, *args = argv
    if step == "trust-generate":  # each school in its own scope
        return trust_generate(float(args[0]), int(args[1]))
    if step in ("outbox", "rows", "trust-report"):  # the trust's, or every school's
        return step_run(step, args)
    with school_scope(data.bench_school()):  # the bench's pages are one school's
        return step_run(step, args)


def trust_generate(scale: float, schools: int) -> dict:
    import time

    from django.apps import apps
    from django.db import connection

    from bench import data
    from overstone.schools import kept_per_school
    from trust.figures import COUNTED, trigger_sql

    started = time.monotonic()

    def progress(done: int) -> None:
        if done % 10 == 0 or done == schools:
            print(f"  {done} of {schools} schools, {time.monotonic() - started:.0f} s",
                  file=sys.stderr, flush=True)  # fmt: skip

    ids = data.trust_generate(data.trust_school_sizes(scale), schools=schools, progress=progress)
    tally = "kept by the triggers"
    unscoped = [c.model for c in COUNTED if not kept_per_school(apps.get_model(c.model))]
    if unscoped:  # before every app's records belong to a school
        tally = f"not counted: {', '.join(sorted(set(unscoped)))} without a school"
    elif connection.vendor == "postgresql" and not tally_triggers():
        # The triggers' migration is not there: the same SQL installs them and counts
        # every table once (one INSERT .. SELECT each).
        with connection.cursor() as cursor:
            for statement in trigger_sql():
                cursor.execute(statement)
        tally = "counted once after the load"
    return {
        "schools": len(ids), "seconds": time.monotonic() - started, "tally": tally,
        "unscoped": sorted(set(unscoped)),
    }  # fmt: skip


def tally_triggers() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'trust_tally_insert' LIMIT 1")
        return cursor.fetchone() is not None


def step_run(step: str, args: list[str]) -> object:
    from django.utils import timezone

    from bench import annual, data, pages, soak
    from training.models import Audience, SessionStatus, TrainingSession

    if step == "generate":
        people = data.generate(data.Sizes(incidents=int(args[0])))
        return {"bench_parents": len(people.bench_parents)}
    if step == "grow":
        return {"added": data.incidents_grow_to(int(args[0]))}
    if step == "sessions":
        # Upcoming parent sessions, for the booking POSTs (none booked by a bench parent).
        return list(
            TrainingSession.objects.filter(
                audience=Audience.PARENTS,
                status=SessionStatus.SCHEDULED,
                starts_at__gt=timezone.now(),
            )
            .exclude(bookings__parent__username__startswith="bench_parent_")  # --reuse
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    if step == "pages":
        return pages.pages_as_json(**pages_options(args))
    if step == "queries":
        session_pk = int(args[0])
        return {
            page.name: pages.queries_per_request(page, session_pk=session_pk)
            for page in pages.pages(**pages_options(args[1:]))
        }
    if step == "load-users":
        # Every role's bench account, then the generated staff and parents.
        from django.contrib.auth import get_user_model

        accounts = {}
        users = get_user_model().objects.filter(username__startswith="bench_").order_by("pk")
        for username, role in users.values_list("username", "memberships__role"):
            accounts.setdefault(role, []).append(username)
        return {"accounts": accounts, "paths": soak.role_paths()}
    if step == "annual":
        return annual.measure(int(args[0]), repeat=int(args[1]))
    if step == "trust-report":
        from bench import trust

        return trust.measure(int(args[0]), repeat=int(args[1]))
    if step == "outbox":
        return outbox()
    if step == "rows":
        return rows()
    raise SystemExit(f"unknown step {step!r}")


def pages_options(args: list[str]) -> dict:
    """``pages`` and ``queries`` take the deep row and ``trust`` (add the trust's page)."""
    options = {}
    if args:
        options["deep_row"] = int(args[0])
    if "trust" in args:
        options["trust"] = True
    return options


def rows() -> dict:
    """How many rows the main tables hold, every school's."""
    from django.db import connection

    tables = {
        "schools": "overstone_school", "users": "auth_user",
        "memberships": "overstone_membership", "pupils": "pupils_pupil",
        "incidents": "incidents_incident", "complaints": "complaints_onlinecomplaint",
        "complaint events": "complaints_complaintevent", "sessions": "training_trainingsession",
        "bookings": "training_booking", "trust_tally": "trust_tally",
    }  # fmt: skip
    with connection.cursor() as cursor:
        counts = {}
        for name, table in tables.items():
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[name] = cursor.fetchone()[0]
    return counts


def outbox() -> dict:
    """The outbox's messages (their task ids) and the e-mails, every school's."""
    from overstone.models import Email, OutboxMessage

    messages = OutboxMessage._base_manager.order_by("pk")
    emails = Email._base_manager.all()
    return {
        "task_ids": [f"outbox-{pk}" for pk in messages.values_list("pk", flat=True)],
        "pending": messages.filter(dispatched_at=None).count(),
        "emails": emails.count(),
        "emails_sent": emails.filter(status=Email.Status.SENT).count(),
        "emails_tried_more_than_once": emails.filter(tries__gt=1).count(),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
