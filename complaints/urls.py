from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.ComplaintBoardView.as_view(), name="board"),
    path("export.csv", views.ComplaintExportView.as_view(), name="export"),
    path("escalated/", views.EscalatedListView.as_view(), name="escalated"),
    path("new/", views.ComplaintCreateView.as_view(), name="create"),
    path("report/", views.AllegationReportView.as_view(), name="report"),
    path("mine/", views.MyReportsView.as_view(), name="mine"),
    path("concerns/", views.ConcernListView.as_view(), name="concern_list"),
    path("concerns/new/", views.ConcernCreateView.as_view(), name="concern_create"),
    path("concerns/all/", views.ConcernManageListView.as_view(), name="concern_manage"),
    path("concerns/export.csv", views.ConcernExportView.as_view(), name="concern_export"),
    path("concerns/<ref:reference>/", views.ConcernDetailView.as_view(), name="concern_detail"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("calendar/<int:pk>/delete/", views.CalendarDeleteView.as_view(), name="calendar_delete"),
    path("<ref:reference>/", views.ComplaintDetailView.as_view(), name="detail"),
    path("<ref:reference>/move/", views.ComplaintTransitionView.as_view(), name="transition"),
    path("<ref:reference>/link/", views.ComplaintLinkView.as_view(), name="link"),
    path("<ref:reference>/evidence/", views.EvidenceAddView.as_view(), name="evidence_add"),
    path(
        "<ref:reference>/evidence/<int:pk>/",
        views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path("<ref:reference>/removals/new/", views.RemovalAddView.as_view(), name="removal_add"),
    path(
        "<ref:reference>/governors-meeting/arrange/",
        views.GovernorsMeetingArrangeView.as_view(),
        name="governors_meeting_arrange",
    ),
    path(
        "<ref:reference>/removals/<int:pk>/outcome/",
        views.RemovalOutcomeView.as_view(),
        name="removal_outcome",
    ),
    path("<ref:reference>/notes/new/", views.NoteAddView.as_view(), name="note_add"),
    path("<ref:reference>/letters/<slug:kind>/", views.LetterView.as_view(), name="letter"),
    path(
        "<ref:reference>/letters/<slug:kind>.pdf",
        views.LetterView.as_view(),
        {"fmt": "pdf"},
        name="letter_pdf",
    ),
    path("<ref:reference>/bundle.zip", views.BundleView.as_view(), name="bundle"),
]
