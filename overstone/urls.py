from django.urls import include, path

from overstone import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("incidents/", include("incidents.urls")),
    path("reporting/", include("reporting.urls")),
    path("training/", include("training.urls")),
    path("complaints/", include("complaints.urls")),
]
