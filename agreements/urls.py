from django.urls import path

from agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.MyAgreementsView.as_view(), name="mine"),
    path("<int:pk>/sign/", views.SignView.as_view(), name="sign"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/new/", views.AgreementCreateView.as_view(), name="create"),
    path("register/reminders/", views.RemindersSendView.as_view(), name="reminders_send"),
    path("register/<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("register/<int:pk>/version/", views.VersionCreateView.as_view(), name="version_create"),
    path("register/<int:pk>/paper/", views.PaperSignatureView.as_view(), name="paper_record"),
]
