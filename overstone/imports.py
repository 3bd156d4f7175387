"""Large CSV imports run by a Celery task with progress, all rows or none (ImportJob).

The view keeps the upload and queues the app's task; a second submit while one of that
kind is unfinished gets the unfinished one::

    job, created = import_job_start(
        kind=ImportJob.Kind.PARENTS, text=text, actor=user, task="training.tasks.import_parents"
    )

The task runs the app's import once; ``work(text=..., actor=..., progress=...)`` returns a
summary (a dict) or raises ``RowProblems`` listing every bad row, and then nothing is
imported::

    import_job_run(job_id=job_id, work=work)

Parsers read a file whose first line names the columns with ``csv_table``, which
gives each row as a dict and lists what cannot be read (the header, a broken line, a
row of the wrong length) as row problems; ``csv_records`` below it turns what the csv
module or the database cannot take into a row problem instead of an exception.
"""

import csv
import hashlib
import io
import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from overstone.models import ImportJob
from overstone.outbox import outbox_enqueue
from overstone.workflow import Refused, Workflow, transition

logger = logging.getLogger(__name__)
Status = ImportJob.Status
UNFINISHED = [Status.QUEUED, Status.RUNNING]
PROGRESS_EVERY = 1000  # rows between two progress updates
MAX_REASON = 500  # characters of one row problem kept

# progress(rows_done, stage): what the progress page shows while the task works.
Progress = Callable[[int, str], None]


def _no_chronology(move) -> None:
    """A job's page is its whole history: its stage, rows done, and then its outcome."""


IMPORT_JOB = Workflow(
    transitions={
        Status.QUEUED: {Status.RUNNING, Status.FAILED},
        Status.RUNNING: {Status.DONE, Status.FAILED},
        Status.DONE: set(),
        Status.FAILED: set(),
    },
    chronicle=_no_chronology,
    name=lambda job: f"Import {job.pk}",
)


class RowProblems(Exception):
    """Rows that cannot be imported, each as (line, reason); nothing was imported."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__(f"{len(errors)} row(s) could not be imported")


def csv_records(text: str) -> Iterator[tuple[int, list[str] | str]]:
    """Each record of a CSV text with its line number, or, for a record that cannot be
    imported whatever its values mean, the reason instead of the values: a value over
    the csv module's field limit, a broken quote, a NUL character (PostgreSQL stores
    none)."""
    reader = csv.reader(io.StringIO(text))
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field limit" in str(error):
                limit = csv.field_size_limit()
                yield reader.line_num, f"a value is longer than {limit:,} characters"
            else:
                yield reader.line_num, f"the line cannot be read as CSV ({error})"
            continue
        if any("\x00" in value for value in values):
            yield reader.line_num, "the line contains a NUL character (is this a text file?)"
            continue
        yield reader.line_num, values


def sentence(text: str) -> str:
    """A reason as a sentence; unlike str.capitalize, the rest keeps its case (NUL, names)."""
    return text[:1].upper() + text[1:] + "."


def csv_table(
    text: str,
    *,
    aliases: dict[str, str],
    required: tuple[str, ...],
    names: str,
    errors: list[tuple[int, str]],
    progress: Progress | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a CSV text whose first line names the columns, each as its line number
    and ``{column: value}``, stripped. A header name (any case, spaces as underscores) is
    looked up in ``aliases``; a column it does not know is left out. Blank lines are
    skipped. What cannot be read is appended to ``errors`` as (line, sentence): an empty
    file or a header without the ``required`` columns (``names`` says them as the user
    writes them) yields no rows at all. The caller adds its own problems to the same list
    and raises ``RowProblems`` at the end::

        errors: list[tuple[int, str]] = []
        for line, record in csv_table(text, aliases=ALIASES, required=("email",),
                                      names="email", errors=errors):
            ...
        if errors:
            raise RowProblems(errors)
    """
    records = csv_records(text)
    first_record = next(records, None)
    if first_record is None:
        errors.append((1, "The file is empty."))
        return
    line, header = first_record
    if isinstance(header, str):
        errors.append((line, sentence(header)))
        return
    columns = [aliases.get(h.strip().lower().replace(" ", "_"), "") for h in header]
    missing = [c for c in required if c not in columns]
    if missing:
        errors.append(
            (1, f"The header must name the columns {names} (missing: {', '.join(missing)}).")
        )
        return
    for line, values in records:
        if progress and line % PROGRESS_EVERY == 0:
            progress(line - 1, "Checking the rows")
        if isinstance(values, str):
            errors.append((line, sentence(values)))
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append((line, f"Expected {len(header)} values, found {len(values)}."))
            continue
        yield line, {col: v.strip() for col, v in zip(columns, values, strict=True) if col}


def quoted(value: str, limit: int = 60) -> str:
    """A value for a row problem, cut short: a hostile value must not fill the page."""
    return f"“{value[:limit]}…”" if len(value) > limit else f"“{value}”"


def import_job_start(*, kind: str, text: str, actor, task: str) -> tuple[ImportJob, bool]:
    """Keep the upload and queue the task named ``task`` with the job's id; ``(job, True)``
    for a new job.

    While a job of this kind is queued or running, that job is returned as it is
    (``created`` False): a double submit imports once, and two imports never race.
    A job lost with its worker (stalled) is marked failed and no longer blocks.
    """
    upload = text.encode()
    with transaction.atomic():
        for job in ImportJob.objects.select_for_update().filter(kind=kind, status__in=UNFINISHED):
            if not job.is_stalled:
                return job, False
            _finish(
                job,
                Status.FAILED,
                errors=[(0, "The import stopped without finishing: nothing was imported.")],
            )
        try:
            with transaction.atomic():
                job = ImportJob.objects.create(
                    kind=kind,
                    requested_by=actor,
                    upload=upload,
                    upload_sha256=hashlib.sha256(upload).hexdigest(),
                )
        except IntegrityError:  # the same kind, queued by someone else a moment ago
            return ImportJob.objects.get(kind=kind, status__in=UNFINISHED), False
        outbox_enqueue(task, job.pk)
    return job, True


def import_job_run(*, job_id: int, work: Callable[..., dict]) -> ImportJob | None:
    """Run a queued job once; a redelivered task finds it started and does nothing.

    Progress is saved outside the import's transaction (the page polls it); the import
    itself is one transaction, so a failure of any kind leaves nothing behind.
    """
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return None

    def start(job: ImportJob) -> None:
        text = bytes(job.upload).decode()
        job.stage = "Checking the rows"
        job.rows_total = max(text.count("\n") + (not text.endswith("\n")) - 1, 0)

    try:
        job = transition(
            job,
            to=Status.RUNNING,
            actor=None,
            workflow=IMPORT_JOB,
            expected=Status.QUEUED,
            apply=start,
        )
    except Refused:  # a redelivered task: the job has already started or ended
        return None
    text = bytes(job.upload).decode()

    def progress(rows_done: int, stage: str) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=min(rows_done, job.rows_total), stage=stage
        )

    try:
        result = work(text=text, actor=job.requested_by, progress=progress)
    except RowProblems as refusal:
        _finish(job, Status.FAILED, errors=refusal.errors)
    except Exception:  # noqa: BLE001 - whatever it was, the page must say it stopped
        logger.exception("Import job %s failed", job.pk)
        _finish(
            job,
            Status.FAILED,
            errors=[(0, "The import stopped on an unexpected error: nothing was imported.")],
        )
    else:
        _finish(job, Status.DONE, result=result)
    return ImportJob.objects.get(pk=job.pk)


def _finish(job: ImportJob, status: str, *, errors=(), result=None) -> None:
    """Record the outcome and drop the upload, which is no longer needed."""

    def outcome(job: ImportJob) -> None:
        if status == Status.DONE:
            job.rows_done = job.rows_total
        job.stage = ""
        job.errors = [[line, reason.replace("\x00", "")[:MAX_REASON]] for line, reason in errors]
        job.result = result or {}
        job.upload = b""
        job.finished_at = timezone.now()

    transition(job, to=status, actor=None, workflow=IMPORT_JOB, apply=outcome)


def import_job_errors_purge(*, now: datetime | None = None) -> int:
    """Empty the row problems of each import that finished longer ago than
    ``settings.OVERSTONE_IMPORT_ERRORS_RETENTION_DAYS``: they quote the file's values
    (parents' e-mail addresses, pupils' names). The outcome and counts stay. Daily, by
    beat; returns how many jobs were emptied."""
    now = now or timezone.now()
    before = now - timedelta(days=settings.OVERSTONE_IMPORT_ERRORS_RETENTION_DAYS)
    return (
        ImportJob.objects.filter(status__in=[Status.DONE, Status.FAILED], finished_at__lt=before)
        .exclude(errors=[])
        .update(errors=[])
    )
