"""The benchmark's printed table: every figure beside its ratio to the run's floor."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PageResult:
    name: str
    median: float  # seconds
    p95: float
    per_second: float
    queries: int | None
    errors: int = 0


@dataclass(frozen=True)
class ReportResult:
    incidents: int
    sql_seconds: float  # the raw SQL of the aggregates
    counting_seconds: float  # the report's snapshot (its queries, through the ORM)
    task_seconds: float  # the whole task: snapshot, charts, HTML, PDF
    peak_bytes: int  # traced Python allocations during the task


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def pages_table(results: list[PageResult]) -> str:
    """The first result is the floor; every ratio is to it."""
    floor = results[0]
    head = (
        f"{'page':34} {'median ms':>9} {'×floor':>6} {'p95 ms':>8} {'×floor':>6} "
        f"{'req/s':>6} {'×floor':>6} {'queries':>7} {'errors':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(
            f"{r.name:34} {_ms(r.median):>9} {r.median / floor.median:>6.2f} "
            f"{_ms(r.p95):>8} {r.p95 / floor.p95:>6.2f} {r.per_second:>6.1f} "
            f"{r.per_second / floor.per_second:>6.2f} "
            f"{'' if r.queries is None else r.queries:>7} {r.errors:>6}"
        )
    return "\n".join(lines)


def reports_table(results: list[ReportResult]) -> str:
    head = (
        f"{'annual report':22} {'raw SQL ms':>10} {'counting ms':>11} {'×SQL':>5} "
        f"{'task ms':>8} {'×SQL':>6} {'peak MiB':>8} {'×first':>6}"
    )
    lines = [head, "-" * len(head)]
    base = results[0].peak_bytes if results else 1
    for r in results:
        lines.append(
            f"{f'{r.incidents:,} incidents':22} {_ms(r.sql_seconds):>10} "
            f"{_ms(r.counting_seconds):>11} {r.counting_seconds / r.sql_seconds:>5.2f} "
            f"{_ms(r.task_seconds):>8} {r.task_seconds / r.sql_seconds:>6.2f} "
            f"{r.peak_bytes / 2**20:>8.1f} {r.peak_bytes / base:>6.2f}"
        )
    return "\n".join(lines)


def trust_report_table(figures: dict) -> str:
    """The trust's report (bench.trust.measure) against its raw SQL, and its memory for
    the year measured against a year with no records."""
    mib = 2**20
    return "\n".join(
        [
            f"{'trust report PDF':22} {'raw SQL ms':>10} {'report ms':>9} {'×SQL':>6} "
            f"{'peak MiB':>8} {'×empty':>6} {'RSS +MiB':>8}",
            "-" * 76,
            f"{'the year measured':22} {_ms(figures['sql']):>10} {_ms(figures['task']):>9} "
            f"{figures['task'] / figures['sql']:>6.2f} {figures['peak'] / mib:>8.1f} "
            f"{figures['peak'] / figures['empty_peak']:>6.2f} "
            f"{figures['rss_growth'] / mib:>8.1f}",
            f"{'a year with no records':22} {'':>10} {'':>9} {'':>6} "
            f"{figures['empty_peak'] / mib:>8.1f} {1:>6.2f} "
            f"{figures['empty_rss_growth'] / mib:>8.1f}",
        ]
    )
