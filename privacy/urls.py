from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("retention/", views.RetentionView.as_view(), name="retention"),
    path("legal-holds/", views.LegalHoldListView.as_view(), name="legal_holds"),
    path("legal-holds/<int:pk>/lift/", views.LegalHoldLiftView.as_view(), name="legal_hold_lift"),
    path("subject-access/", views.SubjectAccessListView.as_view(), name="sar_list"),
    path("subject-access/new/", views.SubjectAccessCreateView.as_view(), name="sar_create"),
    path(
        "subject-access/<ref:reference>/",
        views.SubjectAccessDetailView.as_view(),
        name="sar_detail",
    ),
    path(
        "subject-access/<ref:reference>/export.csv",
        views.SubjectAccessExportView.as_view(),
        name="sar_export",
    ),
]
