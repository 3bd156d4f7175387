from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    # Sessions, bookings and attendance (coordinator)
    path("sessions/", views.SessionListView.as_view(), name="session_list"),
    path("sessions/new/", views.SessionCreateView.as_view(), name="session_create"),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/edit/", views.SessionUpdateView.as_view(), name="session_update"),
    path("sessions/<int:pk>/cancel/", views.SessionCancelView.as_view(), name="session_cancel"),
    path(
        "sessions/<int:pk>/attendance.csv",
        views.AttendanceCsvView.as_view(),
        name="attendance_csv",
    ),
    path(
        "bookings/<int:pk>/attendance/",
        views.AttendanceMarkView.as_view(),
        name="attendance_mark",
    ),
    # Parent accounts (coordinator)
    path("parents/", views.ParentListView.as_view(), name="parent_list"),
    path("parents/new/", views.ParentCreateView.as_view(), name="parent_create"),
    path("parents/import/", views.ParentImportView.as_view(), name="parent_import"),
    path("parents/import/<int:pk>/", views.ParentImportJobView.as_view(), name="parent_import_job"),
    path("parents/<int:pk>/invite/", views.ParentInviteView.as_view(), name="parent_invite"),
    # Booking (parents)
    path("", views.UpcomingView.as_view(), name="upcoming"),
    path("sessions/<int:pk>/book/", views.BookView.as_view(), name="book"),
    path("bookings/<int:pk>/cancel/", views.BookingCancelView.as_view(), name="booking_cancel"),
    # Staff induction
    path("induction/", views.MyInductionView.as_view(), name="induction_mine"),
    path("induction/matrix/", views.InductionMatrixView.as_view(), name="induction_matrix"),
    path("induction/validity/", views.InductionValidityView.as_view(), name="induction_validity"),
    path(
        "induction/<int:pk>/confirm/",
        views.InductionConfirmView.as_view(),
        name="induction_confirm",
    ),
    # Working party
    path("working-party/", views.MeetingListView.as_view(), name="meeting_list"),
    path("working-party/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("working-party/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("working-party/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path(
        "working-party/<int:pk>/actions/new/",
        views.ActionCreateView.as_view(),
        name="action_create",
    ),
    path("actions/<int:pk>/done/", views.ActionDoneView.as_view(), name="action_done"),
    path("working-party/members/", views.MemberListView.as_view(), name="member_list"),
    path("working-party/members/<int:pk>/end/", views.MemberEndView.as_view(), name="member_end"),
]
