from django.db import models


class OutboxMessage(models.Model):
    """A Celery task to send, written in the same transaction as the change it follows.

    Saving a user's work never depends on the broker: if it is down, the message waits
    here and the dispatch_outbox beat task sends it when the broker is back.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"
