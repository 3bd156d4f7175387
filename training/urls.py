from django.urls import path

from training.views import induction, parents, sessions, working_party

app_name = "training"

urlpatterns = [
    # Sessions, bookings and attendance (coordinator)
    path("sessions/", sessions.SessionListView.as_view(), name="session_list"),
    path("sessions/new/", sessions.SessionCreateView.as_view(), name="session_create"),
    path("sessions/<int:pk>/", sessions.SessionDetailView.as_view(), name="session_detail"),
    path("sessions/<int:pk>/edit/", sessions.SessionUpdateView.as_view(), name="session_update"),
    path("sessions/<int:pk>/cancel/", sessions.SessionCancelView.as_view(), name="session_cancel"),
    path(
        "sessions/<int:pk>/attendance.csv",
        sessions.AttendanceCsvView.as_view(),
        name="attendance_csv",
    ),
    path(
        "bookings/<int:pk>/attendance/",
        sessions.AttendanceMarkView.as_view(),
        name="attendance_mark",
    ),
    # Parent accounts (coordinator)
    path("parents/", parents.ParentListView.as_view(), name="parent_list"),
    path("parents/new/", parents.ParentCreateView.as_view(), name="parent_create"),
    path("parents/import/", parents.ParentImportView.as_view(), name="parent_import"),
    path(
        "parents/import/<int:pk>/", parents.ParentImportJobView.as_view(), name="parent_import_job"
    ),
    path("parents/<int:pk>/invite/", parents.ParentInviteView.as_view(), name="parent_invite"),
    # Booking (parents)
    path("", sessions.UpcomingView.as_view(), name="upcoming"),
    path("sessions/<int:pk>/book/", sessions.BookView.as_view(), name="book"),
    path("bookings/<int:pk>/cancel/", sessions.BookingCancelView.as_view(), name="booking_cancel"),
    # Staff induction
    path("induction/", induction.MyInductionView.as_view(), name="induction_mine"),
    path("induction/matrix/", induction.InductionMatrixView.as_view(), name="induction_matrix"),
    path(
        "induction/validity/", induction.InductionValidityView.as_view(), name="induction_validity"
    ),
    path(
        "induction/<int:pk>/confirm/",
        induction.InductionConfirmView.as_view(),
        name="induction_confirm",
    ),
    # Working party
    path("working-party/", working_party.MeetingListView.as_view(), name="meeting_list"),
    path("working-party/new/", working_party.MeetingCreateView.as_view(), name="meeting_create"),
    path(
        "working-party/<int:pk>/", working_party.MeetingDetailView.as_view(), name="meeting_detail"
    ),
    path(
        "working-party/<int:pk>/edit/",
        working_party.MeetingUpdateView.as_view(),
        name="meeting_update",
    ),
    path(
        "working-party/<int:pk>/actions/new/",
        working_party.ActionCreateView.as_view(),
        name="action_create",
    ),
    path("actions/<int:pk>/done/", working_party.ActionDoneView.as_view(), name="action_done"),
    path("working-party/members/", working_party.MemberListView.as_view(), name="member_list"),
    path(
        "working-party/members/<int:pk>/end/",
        working_party.MemberEndView.as_view(),
        name="member_end",
    ),
]
