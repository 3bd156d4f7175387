"""The bench's steps that need Django, each run as ``python -m bench.cli STEP`` in the
environment bench/run.py prepares; each prints JSON on its last line."""

import json
import os
import sys


def main(argv: list[str]) -> object:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overstone.settings")
    django.setup()
    from overstone.schools import default_school, school_scope

    with school_scope(default_school()):  # the bench's data is one school's
        return step_run(argv)


def step_run(argv: list[str]) -> object:
    from django.utils import timezone

    from bench import annual, data, pages, soak
    from training.models import Audience, SessionStatus, TrainingSession

    step, *args = argv
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
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    if step == "pages":
        return pages.pages_as_json()
    if step == "queries":
        session_pk = int(args[0])
        return {
            page.name: pages.queries_per_request(page, session_pk=session_pk)
            for page in pages.pages()
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
    raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
