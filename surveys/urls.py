from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.MySurveysView.as_view(), name="mine"),
    path("<int:pk>/answer/", views.AnswerView.as_view(), name="answer"),
    path("class/", views.CodeEntryView.as_view(), name="code_entry"),
    path("class/thanks/", views.ThanksView.as_view(), name="thanks"),
    path("class/<str:code>/", views.ClassAnswerView.as_view(), name="class_answer"),
    path("manage/", views.SurveyListView.as_view(), name="list"),
    path("manage/new/", views.SurveyCreateView.as_view(), name="create"),
    path("manage/<int:pk>/", views.SurveyDetailView.as_view(), name="detail"),
    path("manage/<int:pk>/question/", views.QuestionAddView.as_view(), name="question_add"),
    path("manage/<int:pk>/class-code/", views.ClassCodeAddView.as_view(), name="class_code_add"),
    path("manage/<int:pk>/results/", views.ResultsView.as_view(), name="results"),
    path("manage/<int:pk>/results.csv", views.ExportView.as_view(), name="export"),
    path("manage/<int:pk>/report/", views.ReportIncludeView.as_view(), name="report_include"),
    path("council/", views.CouncilListView.as_view(), name="council_list"),
    path("council/new/", views.CouncilCreateView.as_view(), name="council_create"),
    path("council/<int:pk>/", views.CouncilDetailView.as_view(), name="council_detail"),
    path("council/point/<int:pk>/", views.CouncilRespondView.as_view(), name="council_respond"),
]
