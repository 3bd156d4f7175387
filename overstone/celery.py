import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overstone.settings")


class SchoolTask(Task):
    """Every task runs in a school's scope (``overstone.schools``): a task queued through
    the outbox in the school that queued it; a beat task in none, walking the schools
    itself with ``each_school()``."""

    def __call__(self, *args, **kwargs):
        from django_scopes import scopes_disabled

        from overstone.schools import school_scope

        school_id = self.request.get("school_id") or (self.request.headers or {}).get("school_id")
        with school_scope(school_id) if school_id else scopes_disabled():
            return super().__call__(*args, **kwargs)


app = Celery("overstone", task_cls=SchoolTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
