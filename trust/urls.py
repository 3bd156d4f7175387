from django.urls import path

from trust import views

app_name = "trust"

urlpatterns = [
    path("", views.TrustDashboardView.as_view(), name="dashboard"),
    path("report.pdf", views.TrustReportPdfView.as_view(), name="report_pdf"),
]
