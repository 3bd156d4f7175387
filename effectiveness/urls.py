from django.urls import path

from effectiveness import views

app_name = "effectiveness"

urlpatterns = [
    path("", views.CheckListView.as_view(), name="check_list"),
    path("new/<slug:kind>/", views.CheckCreateView.as_view(), name="check_create"),
    path("checklist/", views.ChecklistView.as_view(), name="checklist"),
    path("checklist/<int:pk>/", views.ChecklistItemUpdateView.as_view(), name="checklist_item"),
    path("risks/", views.RiskListView.as_view(), name="risk_list"),
    path("risks/new/", views.RiskCreateView.as_view(), name="risk_create"),
    path("risks/<int:pk>/", views.RiskDetailView.as_view(), name="risk_detail"),
    path("risks/<int:pk>/edit/", views.RiskUpdateView.as_view(), name="risk_update"),
    path("<ref:reference>/", views.CheckDetailView.as_view(), name="check_detail"),
    path("<ref:reference>/edit/", views.CheckUpdateView.as_view(), name="check_update"),
    path("<ref:reference>/checklist/", views.AuditItemsView.as_view(), name="audit_items"),
    path("<ref:reference>/complete/", views.CheckCompleteView.as_view(), name="check_complete"),
]
