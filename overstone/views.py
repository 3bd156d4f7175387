from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from overstone.celery import app as celery_app
from overstone.navigation import work_for
from overstone.roles import Capability, can


class CapabilityRequiredMixin(PermissionRequiredMixin):
    """Anonymous users are sent to log in; a logged-in user without it gets 403."""

    capability: Capability

    def has_permission(self) -> bool:
        return can(self.request.user, self.capability)


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "overstone/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(work=work_for(self.request.user), **kwargs)


def _database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def _broker_up() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception:
        return False


@never_cache
def healthz(request):
    status = {
        "database": "up" if _database_up() else "down",
        "broker": "up" if _broker_up() else "down",
    }
    healthy = all(value == "up" for value in status.values())
    return JsonResponse(status, status=200 if healthy else 503)
