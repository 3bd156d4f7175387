from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("policies/", views.PolicyListView.as_view(), name="policy_list"),
    path("policies/published/", views.PublishedPolicyListView.as_view(), name="published_list"),
    path(
        "policies/published/<int:pk>/",
        views.PublishedPolicyDetailView.as_view(),
        name="published_detail",
    ),
    path("policies/new/", views.PolicyCreateView.as_view(), name="policy_create"),
    path("policies/<int:pk>/", views.PolicyDetailView.as_view(), name="policy_detail"),
    path("policies/<int:pk>/edit/", views.PolicyUpdateView.as_view(), name="policy_update"),
    path("policies/<int:pk>/review/", views.PolicyReviewView.as_view(), name="policy_review"),
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/new/", views.ReportRequestView.as_view(), name="report_request"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report_detail"),
    path("reports/<int:pk>/status/", views.ReportStatusView.as_view(), name="report_status"),
    path("reports/<int:pk>/pdf/", views.ReportPdfView.as_view(), name="report_pdf"),
    path("reports/<int:pk>/retry/", views.ReportRetryView.as_view(), name="report_retry"),
    path(
        "reports/<int:pk>/development/",
        views.ReportDevelopmentView.as_view(),
        name="report_development",
    ),
]
