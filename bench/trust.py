"""The trust's annual report (``trust:report_pdf``) against its floor: the trust's
figures counted from the records in hand-written SQL.

``python -m bench.cli trust-report YEAR REPEAT`` (in the bench's environment) prints the
raw SQL time, the report's time through the test client as a trust role, and its peak
traced memory and growth of the process's peak resident memory, for the school year
asked and, to show memory stays flat, for a school year without records.
"""

import resource
import statistics
import time
import tracemalloc

# What trust.figures.COUNTED counts, for every school, this school year and last,
# straight from the records (what the report would cost without trust_tally).
TRUST_SQL = [
    """SELECT school_id, occurred_at >= %(start)s, COUNT(*),
              COUNT(*) FILTER (WHERE severity IN ('high', 'critical'))
       FROM incidents_incident WHERE occurred_at >= %(last_start)s AND occurred_at < %(end)s
       GROUP BY 1, 2""",
    """SELECT school_id, created_at >= %(start)s, COUNT(*) FROM complaints_onlinecomplaint
       WHERE created_at >= %(last_start)s AND created_at < %(end)s GROUP BY 1, 2""",
    """SELECT school_id, created_at >= %(start)s, COUNT(*) FROM complaints_concern
       WHERE created_at >= %(last_start)s AND created_at < %(end)s GROUP BY 1, 2""",
]


def raw_sql_seconds(school_year: int) -> float:
    from django.db import connection

    from bench.annual import sql_params

    params = sql_params(school_year)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in TRUST_SQL:
            cursor.execute(sql, params)
            cursor.fetchall()
    return time.perf_counter() - started


def _client(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def report_seconds(client, school_year: int) -> float:
    from django.urls import reverse

    started = time.perf_counter()
    response = client.get(reverse("trust:report_pdf"), {"year": school_year})
    seconds = time.perf_counter() - started
    if response.status_code != 200 or not response.content.startswith(b"%PDF"):
        raise RuntimeError(f"trust report: {response.status_code}")
    return seconds


def report_memory(client, school_year: int) -> tuple[int, int]:
    """(peak traced bytes, growth of the process's peak RSS in bytes) of one report."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    report_seconds(client, school_year)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    return peak, grown * 1024  # ru_maxrss is in KiB on Linux


def measure(school_year: int, *, repeat: int = 3, username: str = "bench_trust_lead") -> dict:
    """Medians of ``repeat`` after a warm-up; memory for ``school_year`` and for a year
    with no records at all (the same 50 schools, every figure 0)."""
    from trust.views import FIRST_YEAR

    client = _client(username)
    raw_sql_seconds(school_year)
    report_seconds(client, school_year)
    sql = statistics.median(raw_sql_seconds(school_year) for _ in range(repeat))
    task = statistics.median(report_seconds(client, school_year) for _ in range(repeat))
    empty_peak, empty_rss = report_memory(client, FIRST_YEAR)
    peak, rss = report_memory(client, school_year)
    return {
        "sql": sql, "task": task, "peak": peak, "rss_growth": rss,
        "empty_peak": empty_peak, "empty_rss_growth": empty_rss,
    }  # fmt: skip
