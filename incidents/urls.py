from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.IncidentListView.as_view(), name="list"),
    path("new/", views.IncidentCreateView.as_view(), name="create"),
    path("export.csv", views.IncidentExportView.as_view(), name="export"),
    path("import/", views.FilterAlertImportView.as_view(), name="import"),
    path("import/<int:pk>/", views.FilterAlertImportJobView.as_view(), name="import_job"),
    path("alerts/", views.AlertListView.as_view(), name="alerts"),
    path("<ref:reference>/", views.IncidentDetailView.as_view(), name="detail"),
    path("<ref:reference>/edit/", views.IncidentUpdateView.as_view(), name="update"),
    path("<ref:reference>/evidence/", views.EvidenceAddView.as_view(), name="evidence_add"),
    path(
        "<ref:reference>/evidence/<int:pk>/",
        views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path("<ref:reference>/report/", views.IncidentReportView.as_view(), name="report"),
    path("<ref:reference>/isp/", views.ContactView.as_view(who="isp"), name="contact_isp"),
    path("<ref:reference>/police/", views.ContactView.as_view(who="police"), name="contact_police"),
    path("<ref:reference>/close/", views.IncidentCloseView.as_view(), name="close"),
    path("<ref:reference>/link/", views.IncidentLinkView.as_view(), name="link"),
]
