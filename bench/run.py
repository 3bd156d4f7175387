"""``make bench``: data on PostgreSQL, gunicorn with production settings, bounded load
against a floor, the annual report at two sizes, one table. See bench/README.md."""

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

from bench import soak
from bench.load import Browser, Timings, burst
from bench.pages import Page
from bench.scaled import Celery, TaskCounts, task_counts
from bench.table import (
    PageResult,
    ReportResult,
    pages_table,
    reports_table,
    trust_report_table,
)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "bench-password-not-secret"  # bench.data.PASSWORD (that module needs Django)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def environment(args) -> dict:
    var = ROOT / "var" / "bench"
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "CELERY_BROKER_URL": args.redis,
        "OVERSTONE_VAR_DIR": str(var),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_SECURE_COOKIES": "false",
        # Two-factor login adds a step at login, not to the pages measured here.
        "OVERSTONE_REQUIRE_2FA": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_CONN_MAX_AGE": "60",
    }


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(sql)


def bench_sql(args, sql: str) -> None:
    import psycopg

    url = f"postgresql://postgres@127.0.0.1:5432/{args.database}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql)


def step(env: dict, *argv: str, timeout: float = 600) -> object:
    """A bench.cli step in a fresh process; its JSON answer."""
    result = subprocess.run(
        [PYTHON, "-m", "bench.cli", *argv],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"bench.cli {' '.join(argv)} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def manage(env: dict, *argv: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *argv], cwd=ROOT, env=env, check=True, timeout=600,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


class Gunicorn:
    def __init__(self, env: dict, port: int, workers: int):
        self.base_url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "overstone.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base_url + "/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def drive(server: Gunicorn, pages: list[Page], sessions: list[int], args) -> dict[str, Timings]:
    """Rounds of bursts over every page in turn, so drift on a shared machine is spread
    over all of them alike; the floor is measured in the same rounds."""
    results: dict[str, Timings] = {}
    browsers: dict[str, Browser] = {}

    def browser(username: str) -> Browser:
        if username not in browsers:
            browsers[username] = Browser(server.base_url)
            browsers[username].login(username, PASSWORD)
        return browsers[username]

    booked = [iter(sessions[t :: args.threads]) for t in range(args.threads)]
    for round_number in range(args.rounds):
        for page in pages:
            if page.method == "POST":
                parents = [browser(f"bench_parent_{t}") for t in range(args.threads)]

                def send(thread: int, n: int, page=page, parents=parents) -> int:
                    pk = next(booked[thread])
                    return parents[thread].request(page.path.format(pk=pk), {"guests": 0})[0]

                timings = burst(send, requests=args.requests, threads=args.threads, ok=(302,))
            else:
                client = [browser(page.username) for _ in range(args.threads)]
                if round_number == 0:
                    client[0].request(page.path)  # warm the worker's caches once

                def send(thread: int, n: int, page=page, client=client) -> int:
                    return client[thread].request(page.path)[0]

                timings = burst(send, requests=args.requests, threads=args.threads)
            results.setdefault(page.name, Timings()).add(timings)
        log(f"round {round_number + 1} of {args.rounds} done")
    return results


def annual(env: dict, school_year: int, incidents: int, repeat: int) -> ReportResult:
    figures = step(env, "annual", str(school_year), str(repeat))
    return ReportResult(
        incidents=incidents,
        sql_seconds=figures["sql"],
        counting_seconds=figures["counting"],
        task_seconds=figures["task"],
        peak_bytes=figures["peak"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument(
        "--large", type=int, default=1_000_000, help="incidents for the second report size"
    )
    parser.add_argument("--requests", type=int, default=40, help="per page per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--report-repeat", type=int, default=3)
    parser.add_argument("--database", default="overstone_bench_data")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true",
        help="measure the database a --keep run left, without generating it again",
    )  # fmt: skip
    parser.add_argument(
        "--load", action="store_true", help="instead: many users of mixed roles at once"
    )
    parser.add_argument("--load-users", type=int, default=50)
    parser.add_argument("--load-seconds", type=float, default=120)
    parser.add_argument(
        "--scaled-out", action="store_true",
        help="the load against two web processes and two Celery workers with one beat",
    )  # fmt: skip
    parser.add_argument("--load-bookings", type=int, default=100, help="scaled out: bookings")
    parser.add_argument(
        "--drain-seconds", type=float, default=150,
        help="scaled out: how long to wait for the workers to finish the tasks queued",
    )  # fmt: skip
    parser.add_argument(
        "--trust", action="store_true", help="instead: a trust of --schools schools"
    )
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument(
        "--trust-scale", type=float, default=1.0,
        help="each school's records times this (0.01 while developing)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.database == "overstone" or args.redis.rstrip("/").endswith("/0"):
        raise SystemExit("the bench uses its own database and Redis db, never the real ones")
    started = time.monotonic()
    env = environment(args)
    from datetime import date

    today = date.today()
    last_year = (today.year if today.month >= 9 else today.year - 1) - 1

    args.keep = args.keep or args.reuse
    if not args.reuse:
        log(f"creating {args.database}")
        admin_sql(f'DROP DATABASE IF EXISTS "{args.database}"')
        admin_sql(f'CREATE DATABASE "{args.database}"')
    server = None
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        if args.reuse:
            log(f"measuring {args.database} as it is")
        elif args.trust:
            log(f"generating a trust of {args.schools} schools (scale {args.trust_scale:g})")
            generated = step(
                env, "trust-generate", str(args.trust_scale), str(args.schools), timeout=7200
            )
            log(f"generated in {generated['seconds']:.0f} s; trust_tally {generated['tally']}")
            if generated["unscoped"]:
                raise SystemExit(
                    f"a trust needs every counted record kept per school; "
                    f"{', '.join(generated['unscoped'])} have no school yet"
                )
        else:
            log(f"generating {args.incidents:,} incidents and the rest")
            step(env, "generate", str(args.incidents))
        bench_sql(args, "VACUUM ANALYZE")
        sessions = step(env, "sessions")
        needed = args.requests * args.rounds + 1
        if len(sessions) < needed:
            raise SystemExit(f"{len(sessions)} upcoming sessions; the booking load needs {needed}")
        log(f"serving with gunicorn ({args.workers} workers); driving the load")
        server = Gunicorn(env, args.port, args.workers)
        if args.load:
            return load_run(server, env, args, started, sessions)
        options = trust_page_options(args) if args.trust else []
        pages = [Page(**page) for page in step(env, "pages", *options)]
        timings = drive(server, pages, sessions[:-1], args)
        server.stop()
        queries = step(env, "queries", str(sessions[-1]), *options)
        page_results = [
            PageResult(name, t.median, t.p95, t.per_second, queries.get(name), t.errors)
            for name, t in timings.items()
        ]
        if args.trust:
            log(f"trust report {last_year}-{last_year + 1}")
            trust_report = step(env, "trust-report", str(last_year), str(args.report_repeat))
            rows = step(env, "rows")
            return trust_output(args, page_results, trust_report, rows, started)
        log(f"annual report {last_year}-{last_year + 1} at {args.incidents:,} incidents")
        reports = [annual(env, last_year, args.incidents, args.report_repeat)]
        if args.large > args.incidents:
            log(f"growing to {args.large:,} incidents")
            step(env, "grow", str(args.large), timeout=900)
            bench_sql(args, "VACUUM ANALYZE")
            log(f"annual report at {args.large:,} incidents")
            reports.append(annual(env, last_year, args.large, args.report_repeat))
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            admin_sql(f'DROP DATABASE IF EXISTS "{args.database}"')
        _flush_redis(args.redis)
    output = "\n".join(
        [
            f"Overstone bench, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs; "
            f"{args.incidents:,} incidents; {args.rounds} rounds x {args.requests} requests "
            f"per page from {args.threads} threads; gunicorn {args.workers} workers",
            "",
            pages_table(page_results),
            "",
            reports_table(reports),
            "",
            f"took {time.monotonic() - started:.0f} s",
        ]
    )
    print(output)
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "bench" / "last-run.txt").write_text(output + "\n")


def trust_page_options(args) -> list[str]:
    """The deep page's row, within the bench school's incidents, and ``trust``."""
    per_school = max(round(100_000 * args.trust_scale), 100)
    deep_row = min(90_000, per_school * 9 // 10 // 25 * 25)
    return [str(deep_row), "trust"]


def trust_output(args, page_results: list[PageResult], report: dict, rows: dict,
                 started: float) -> None:  # fmt: skip
    floor = page_results[0]
    verdicts = [
        f"{r.name}: {'holds' if ok else 'DOES NOT HOLD'}"
        for r in page_results[1:]
        for ok in [r.median <= 3 * floor.median and r.p95 <= 5 * floor.p95 and not r.errors]
    ]
    output = "\n".join(
        [
            f"Overstone bench, trust size, {time.strftime('%Y-%m-%d %H:%M')}, "
            f"{os.cpu_count()} CPUs; {args.schools} schools at scale {args.trust_scale:g}; "
            f"{args.rounds} rounds x {args.requests} requests per page from {args.threads} "
            f"threads; gunicorn {args.workers} workers; pages of the first school",
            "",
            "rows: " + ", ".join(f"{name} {count:,}" for name, count in rows.items()),
            "",
            pages_table(page_results),
            "",
            trust_report_table(report),
            "",
            "within 3x the floor's median and 5x its p95: " + "; ".join(verdicts),
            "",
            f"took {time.monotonic() - started:.0f} s",
        ]
    )
    print(output)
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "var" / "bench" / "trust-last-run.txt").write_text(output + "\n")


def load_run(server: Gunicorn, env: dict, args, started: float, sessions: list[int]) -> None:
    """Many users of mixed roles at once for a bounded time; fails if any request did.
    Scaled out: against two web processes, with parents booking sessions (each booking
    queues e-mail through the outbox) done by two Celery workers with one beat; fails
    too if an outbox task was done twice or not at all."""
    found = step(env, "load-users")
    users = soak.users_for(args.load_users, found["accounts"])
    servers, celery, booking, counts = [server], [], None, None
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        if args.scaled_out:
            servers.append(Gunicorn(env, args.port + 1, args.workers))
            workers = [Celery.worker(env, ROOT, folder, f"worker{n}") for n in (1, 2)]
            celery = [*workers, Celery.beat(env, ROOT, folder)]
            booking = threading.Thread(
                target=bookings, args=(servers, sessions[: args.load_bookings], booked := [])
            )
        log(f"{len(users)} users browsing {len(servers)} web processes for "
            f"{args.load_seconds:.0f} s")  # fmt: skip
        began = time.monotonic()
        if booking:
            booking.start()
        results = soak.run(
            [s.base_url for s in servers], users, found["paths"], PASSWORD,
            seconds=args.load_seconds,
        )  # fmt: skip
        wall = time.monotonic() - began
        if booking:
            booking.join()
            counts = outbox_drained(env, [w.log for w in workers], timeout=args.drain_seconds)
    finally:
        for process in [*celery, *servers[1:]]:
            process.stop()
    lines = [
        f"Overstone load, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs; "
        f"{args.incidents:,} incidents; {len(users)} users of mixed roles for "
        f"{args.load_seconds:.0f} s; {len(servers)} x gunicorn {args.workers} workers, "
        + ("2 Celery workers and one beat, " if args.scaled_out else "")
        + "PostgreSQL, Redis",
        "",
        soak.summary(results, wall),
    ]
    if args.scaled_out:
        statuses = Counter(booked)
        lines += [
            "",
            f"booking POSTs over both web processes: {len(booked)}, "
            + ", ".join(f"HTTP {code}: {n}" for code, n in sorted(statuses.items())),
            str(counts),
        ]
    output = "\n".join([*lines, "", f"took {time.monotonic() - started:.0f} s"])
    print(output)
    (
        folder / ("load-scaled-out-last-run.txt" if args.scaled_out else "load-last-run.txt")
    ).write_text(output + "\n")
    if any(r.errors for r in results) or any(code != 302 for code in booked if args.scaled_out):
        raise SystemExit("the load run had errors")
    if counts and (counts.succeeded_twice_or_more or counts.never_succeeded):
        raise SystemExit("an outbox task was done twice, or not at all")


def bookings(servers: list[Gunicorn], sessions: list[int], statuses: list[int]) -> None:
    """Bench parents book each of ``sessions`` once, one parent per web process, their
    bookings in turn; the HTTP statuses into ``statuses``."""
    parents = []
    for n, server in enumerate(servers):
        parents.append(Browser(server.base_url))
        parents[-1].login(f"bench_parent_{n}", PASSWORD)
    for n, pk in enumerate(sessions):
        parent = parents[n % len(parents)]
        statuses.append(parent.request(f"/training/sessions/{pk}/book/", {"guests": 0})[0])


def outbox_drained(env: dict, logs: list[Path], *, timeout: float) -> TaskCounts:
    """Wait (at most ``timeout`` seconds) until every outbox message was sent and its
    task done by a worker; then count, per task id, how often it was done."""
    deadline = time.monotonic() + timeout
    while True:
        outbox = step(env, "outbox")
        counts = task_counts(outbox["task_ids"], logs)
        if (not outbox["pending"] and not counts.never_succeeded) or time.monotonic() > deadline:
            log(
                f"outbox: {len(outbox['task_ids'])} tasks, {outbox['pending']} not sent; "
                f"{outbox['emails_sent']} of {outbox['emails']} e-mails sent, "
                f"{outbox['emails_tried_more_than_once']} tried more than once"
            )
            return counts
        time.sleep(3)


def _flush_redis(url: str) -> None:
    """The booking POSTs queued e-mails on the bench's own Redis db; drop them."""
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=2).flushdb()
    except Exception as error:  # the table matters more than the clean-up
        log(f"could not empty {url}: {error}")


if __name__ == "__main__":
    main()
