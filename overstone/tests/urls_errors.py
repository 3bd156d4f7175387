"""The project's URLs plus views that fail, for the error-page tests."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from overstone.urls import handler500
from overstone.urls import urlpatterns as project_urlpatterns


def suspicious(request):
    raise SuspiciousOperation("a tampered request")


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    *project_urlpatterns,
    path("test-errors/400/", suspicious),
    path("test-errors/500/", broken),
]

__all__ = ["handler500", "urlpatterns"]
