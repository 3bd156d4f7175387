"""Thin Celery tasks: take primary keys, call a service. Each is safe to run twice."""

from celery import shared_task

from pupils.services import pupils_import_job_run


@shared_task(acks_late=True, ignore_result=True)
def import_pupils(job_id: int) -> None:
    pupils_import_job_run(job_id=job_id)
