from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("referrals/", views.ReferralListView.as_view(), name="referral_list"),
    path("tasks/", views.MyTasksView.as_view(), name="my_tasks"),
    path("<ref:reference>/referrals/add/", views.ReferralAddView.as_view(), name="referral_add"),
    path(
        "<ref:reference>/referrals/<int:pk>/response/",
        views.ReferralResponseView.as_view(),
        name="referral_response",
    ),
    path("<ref:reference>/tasks/add/", views.CaseTaskAddView.as_view(), name="task_add"),
    path(
        "<ref:reference>/tasks/<int:pk>/done/", views.CaseTaskDoneView.as_view(), name="task_done"
    ),
]
