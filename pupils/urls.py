from django.urls import path, re_path

from pupils import views

app_name = "pupils"

urlpatterns = [
    path("", views.PupilListView.as_view(), name="list"),
    path("new/", views.PupilCreateView.as_view(), name="create"),
    path("import/", views.PupilImportView.as_view(), name="import"),
    path("import/<int:pk>/", views.PupilImportJobView.as_view(), name="import_job"),
    # Pupil numbers are letters, digits and dashes (pupils.services.NUMBER).
    re_path(
        r"^(?P<reference>[A-Za-z0-9][A-Za-z0-9-]{0,19})/$",
        views.PupilDetailView.as_view(),
        name="detail",
    ),
]
