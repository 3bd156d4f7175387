"""The annual report against its floor: the same aggregates in hand-written SQL.

``python -m bench.cli annual YEAR REPEAT`` (in the bench's environment) prints the raw
SQL time, the report's counting time, the whole task's time and its peak traced memory.
It runs in a fresh process so one size's allocations do not colour the next.
"""

import statistics
import time
import tracemalloc
from datetime import datetime


def _both_years(sql: str) -> list[str]:
    """A figure the report shows against last year: the query for [since, until) as this
    year's and as last year's bounds."""
    return [
        sql.replace("%(since)s", f"%({since})s").replace("%(until)s", f"%({until})s")
        for since, until in (("start", "end"), ("last_start", "start"))
    ]


# The report's figures for one school year, as one would write them by hand. Bounds are
# [start, end) instants, so the indexes on the timestamp columns serve every range.
REPORT_SQL = [
    # Incidents by category, this year and last (the monitored counts and the chart).
    *_both_years(
        """SELECT category, COUNT(*) FROM incidents_incident
           WHERE occurred_at >= %(since)s AND occurred_at < %(until)s GROUP BY category"""
    ),
    # Filtering incidents per month.
    """SELECT date_trunc('month', occurred_at AT TIME ZONE 'Europe/London'), category, COUNT(*)
       FROM incidents_incident
       WHERE occurred_at >= %(start)s AND occurred_at < %(end)s AND category = ANY(%(filtering)s)
       GROUP BY 1, 2""",
    # ISP and police contacts, closed.
    *_both_years(
        """SELECT COUNT(*), COUNT(*) FILTER (WHERE isp_contacted_at IS NOT NULL),
                  COUNT(*) FILTER (WHERE police_contacted_at IS NOT NULL),
                  COUNT(*) FILTER (WHERE status = 'closed')
           FROM incidents_incident WHERE occurred_at >= %(since)s AND occurred_at < %(until)s"""
    ),
    # Online complaints by category, this year and last.
    *_both_years(
        """SELECT category, COUNT(*) FROM complaints_onlinecomplaint
           WHERE posted_at >= %(since)s AND posted_at < %(until)s GROUP BY category"""
    ),
    # How complaints ended, and the median days to finish.
    *_both_years(
        """SELECT COUNT(*), COUNT(*) FILTER (WHERE stage NOT IN ('resolved', 'closed')),
                  COUNT(*) FILTER (WHERE stage = 'resolved' AND escalated_at IS NULL),
                  COUNT(*) FILTER (WHERE stage = 'resolved' AND escalated_at IS NOT NULL),
                  COUNT(*) FILTER (WHERE stage = 'closed'),
                  COUNT(*) FILTER (WHERE escalated_at IS NOT NULL),
                  percentile_disc(0.5) WITHIN GROUP (ORDER BY finished_at - created_at)
           FROM complaints_onlinecomplaint
           WHERE created_at >= %(since)s AND created_at < %(until)s"""
    ),
    # Concerns raised privately, how they ended, and the median wait for an answer.
    *_both_years(
        """SELECT COUNT(*), COUNT(*) FILTER (WHERE c.status = 'answered'),
                  COUNT(*) FILTER (WHERE c.status = 'in_progress'),
                  COUNT(*) FILTER (WHERE c.status = 'received'),
                  percentile_disc(0.5) WITHIN GROUP (ORDER BY e.at - c.created_at)
           FROM complaints_concern c
           LEFT JOIN complaints_concernevent e ON e.concern_id = c.id AND e.to_status = 'answered'
           WHERE c.created_at >= %(since)s AND c.created_at < %(until)s"""
    ),
    # Awareness training held and attendance.
    *_both_years(
        """SELECT COUNT(*) FILTER (WHERE b.status = 'attended'),
                  COUNT(*) FILTER (WHERE b.status = 'no_show')
           FROM training_booking b JOIN training_trainingsession s ON s.id = b.session_id
           WHERE s.starts_at >= %(since)s AND s.starts_at < LEAST(%(until)s, now())
             AND s.status = 'scheduled'"""
    ),
    *_both_years(
        """SELECT COUNT(*), COUNT(*) FILTER (WHERE audience = 'parents')
           FROM training_trainingsession
           WHERE starts_at >= %(since)s AND starts_at < LEAST(%(until)s, now())
             AND status = 'scheduled'"""
    ),
    # Training by topic: sessions held that covered each, and bookings attended at them.
    *_both_years(
        """SELECT t.topic, COUNT(*), SUM(s.attended)
           FROM (SELECT s.topics, COUNT(b.id) FILTER (WHERE b.status = 'attended') AS attended
                 FROM training_trainingsession s
                 LEFT JOIN training_booking b ON b.session_id = s.id
                 WHERE s.starts_at >= %(since)s AND s.starts_at < LEAST(%(until)s, now())
                   AND s.status = 'scheduled'
                 GROUP BY s.id) s
           CROSS JOIN LATERAL jsonb_array_elements_text(s.topics) AS t(topic)
           GROUP BY t.topic"""
    ),
]


def sql_params(school_year: int) -> dict:
    from django.utils import timezone

    from incidents.models import FilteringCategory

    def instant(year: int) -> datetime:
        return timezone.make_aware(datetime(year, 9, 1))

    return {
        "start": instant(school_year),
        "end": instant(school_year + 1),
        "last_start": instant(school_year - 1),
        "filtering": list(FilteringCategory.values),
    }


def raw_sql_seconds(school_year: int) -> float:
    """One pass over the report's aggregates through ``connection.cursor()``."""
    from django.db import connection

    params = sql_params(school_year)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in REPORT_SQL:
            cursor.execute(sql, params)
            cursor.fetchall()
    return time.perf_counter() - started


def counting_seconds(school_year: int) -> float:
    """The report's snapshot alone: every section's queries, as the task runs them."""
    from reporting.snapshot import SECTIONS

    started = time.perf_counter()
    for _, _, build in SECTIONS:
        build(school_year)
    return time.perf_counter() - started


def _new_report(school_year: int):
    from django.db.models import Max

    from reporting.models import AnnualReport

    latest = AnnualReport.objects.filter(school_year=school_year).aggregate(v=Max("version"))
    return AnnualReport.objects.create(school_year=school_year, version=(latest["v"] or 0) + 1)


def task_run(school_year: int, *, trace: bool = False) -> tuple[float, int]:
    """(seconds, peak traced bytes) of ``annual_report_generate`` for a new report."""
    from reporting.models import AnnualReport
    from reporting.services import annual_report_generate

    report = _new_report(school_year)
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    done = annual_report_generate(report_id=report.pk)
    seconds = time.perf_counter() - started
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    if done.status != AnnualReport.Status.DONE:
        raise RuntimeError(f"annual report failed: {done.error}")
    return seconds, peak


def measure(school_year: int, *, repeat: int = 3) -> dict:
    """Medians of ``repeat`` runs each, after one warm-up of each kind."""
    raw_sql_seconds(school_year)
    counting_seconds(school_year)
    task_run(school_year)
    sql = statistics.median(raw_sql_seconds(school_year) for _ in range(repeat))
    counting = statistics.median(counting_seconds(school_year) for _ in range(repeat))
    task = statistics.median(task_run(school_year)[0] for _ in range(repeat))
    _, peak = task_run(school_year, trace=True)
    return {"sql": sql, "counting": counting, "task": task, "peak": peak}
