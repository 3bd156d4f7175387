from django.contrib.auth import views as auth_views
from django.urls import include, path

from overstone import search_views, views
from overstone.forms import LoginForm, PasswordResetNotifyForm

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("work/badge/", views.WorkBadgeView.as_view(), name="work_badge"),
    path("school/", views.SchoolSwitchView.as_view(), name="school_switch"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetNotifyForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/two-factor/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path(
        "accounts/two-factor/code/", views.TwoFactorVerifyView.as_view(), name="two_factor_verify"
    ),
    path(
        "accounts/two-factor/backup-codes/",
        views.TwoFactorBackupCodesView.as_view(),
        name="two_factor_backup_codes",
    ),
    path("two-factor/", views.TwoFactorUserListView.as_view(), name="two_factor_users"),
    path("two-factor/<int:pk>/reset/", views.TwoFactorResetView.as_view(), name="two_factor_reset"),
    path("audit/", views.AuditLogListView.as_view(), name="audit_log"),
    path("emails/failed/", views.FailedEmailListView.as_view(), name="failed_emails"),
    path("search/", search_views.SearchView.as_view(), name="search"),
    path("incidents/", include("incidents.urls")),
    path("reporting/", include("reporting.urls")),
    path("training/", include("training.urls")),
    path("complaints/", include("complaints.urls")),
    path("agreements/", include("agreements.urls")),
    path("pupils/", include("pupils.urls")),
    path("surveys/", include("surveys.urls")),
    path("data-protection/", include("privacy.urls")),
    path("cases/", include("cases.urls")),
    path("effectiveness/", include("effectiveness.urls")),
    path("trust/", include("trust.urls")),
]

handler500 = "overstone.views.server_error"
