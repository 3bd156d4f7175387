import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from overstone.navigation import navigation_for
from overstone.roles import CAPABILITIES, Capability, can
from overstone.views import CapabilityRequiredMixin


class DashboardProbe(CapabilityRequiredMixin, View):
    capability = Capability.VIEW_DASHBOARD

    def get(self, request):
        return HttpResponse("seen")


def test_every_capability_is_granted_to_someone():
    assert set(CAPABILITIES) == set(Capability)
    assert all(CAPABILITIES.values())


@pytest.mark.parametrize(
    ("role", "capability", "allowed"),
    [
        ("coordinator", "log_incident", True),
        ("staff", "log_incident", True),
        ("staff", "view_all_incidents", False),
        ("parent", "log_incident", False),
        ("parent", "book_training", True),
        ("governor", "view_all_incidents", False),
        ("governor", "read_minutes", True),
        ("chair_of_governors", "join_escalated_complaints", True),
        ("principal", "manage_complaints", True),
    ],
)
def test_safeguarding_data_is_need_to_know(user_with_role, role, capability, allowed):
    assert can(user_with_role(role), capability) is allowed


def test_anonymous_user_can_do_nothing():
    assert not any(can(AnonymousUser(), capability) for capability in Capability)


def test_a_role_check_sends_anonymous_to_login_and_refuses_others(user_with_role):
    view = DashboardProbe.as_view()
    request = RequestFactory().get("/probe")

    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    request.user = user_with_role("parent")
    with pytest.raises(PermissionDenied):
        view(request)

    request.user = user_with_role("slt")
    assert view(request).content == b"seen"


def test_home_shows_each_role_its_own_work(client, user_with_role):
    client.force_login(user_with_role("parent"))
    page = client.get("/").text
    assert "Social-media awareness training" in page
    assert "e-Safety incidents" not in page

    client.force_login(user_with_role("coordinator"))
    page = client.get("/").text
    assert "e-Safety incidents" in page
    assert "Social-media awareness training" not in page


def test_a_user_without_a_role_is_told_so(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x" * 12))
    assert "has no role yet" in client.get("/").text


def test_roles_are_read_once_per_request(user_with_role, django_assert_num_queries):
    user = user_with_role("principal")
    with django_assert_num_queries(1):
        navigation_for(user)
        navigation_for(user)
