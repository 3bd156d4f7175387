from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.IncidentListView.as_view(), name="list"),
    path("new/", views.IncidentCreateView.as_view(), name="create"),
    path("export.csv", views.IncidentExportView.as_view(), name="export"),
    path("import/", views.FilterAlertImportView.as_view(), name="import"),
    path("import/<int:pk>/", views.FilterAlertImportJobView.as_view(), name="import_job"),
    path("<str:reference>/", views.IncidentDetailView.as_view(), name="detail"),
    path("<str:reference>/edit/", views.IncidentUpdateView.as_view(), name="update"),
    path("<str:reference>/evidence/", views.EvidenceAddView.as_view(), name="evidence_add"),
    path(
        "<str:reference>/evidence/<int:pk>/",
        views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path("<str:reference>/report/", views.IncidentReportView.as_view(), name="report"),
    path("<str:reference>/isp/", views.ContactView.as_view(who="isp"), name="contact_isp"),
    path("<str:reference>/police/", views.ContactView.as_view(who="police"), name="contact_police"),
    path("<str:reference>/close/", views.IncidentCloseView.as_view(), name="close"),
]
