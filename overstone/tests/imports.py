"""Uploading a file to an import page and running its queued task, as the worker would."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve

from overstone.celery import app as celery_app
from overstone.models import ImportJob, OutboxMessage


def import_through_the_page(client, url: str, content: bytes):
    """The page a user sees after uploading ``content``: the form again if it refused the
    file, else the job's page once its task has run (in this process, without a broker)."""
    response = client.post(url, {"file": SimpleUploadedFile("import.csv", content)})
    if response.status_code != 302:
        return response
    job = ImportJob.objects.get(pk=resolve(response["Location"]).kwargs["pk"])
    if not job.is_finished:
        message = OutboxMessage.objects.filter(args=[job.pk]).latest("pk")
        celery_app.loader.import_default_modules()  # every app's tasks, as the worker has
        celery_app.tasks[message.task_name](*message.args)
    return client.get(response["Location"])
