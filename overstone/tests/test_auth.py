import re

from django.urls import reverse

from overstone.models import Email
from overstone.tests.factories import PASSWORD


def test_login_takes_a_user_to_their_home(client, user_with_role):
    user = user_with_role("coordinator", first_name="Alice", last_name="West")
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Welcome, Alice West" in response.text
    assert "e-Safety coordinator" in response.text


def test_wrong_password_shows_a_message_on_the_form(client, user_with_role):
    user = user_with_role("staff")
    response = client.post(reverse("login"), {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


def test_logout_is_a_post_and_ends_the_session(client, user_with_role):
    client.force_login(user_with_role("parent"))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_by_email_sets_a_new_password(client, user_with_role, sent_mail):
    user = user_with_role("governor", email="vera@overstone.example")
    client.post(reverse("password_reset"), {"email": "vera@overstone.example"})
    assert Email.objects.get().template == "registration/password_reset"  # through notify
    [message] = sent_mail
    assert message.subject == "Overstone: choose a new password"
    link = re.search(r"http://testserver(/accounts/reset/\S+)", message.body).group(1)

    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": "a-new-long-secret", "new_password2": "a-new-long-secret"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-secret")
    # The link works once.
    assert "already been used or has expired" in client.get(link, follow=True).text


def test_password_change(client, user_with_role):
    user = user_with_role("staff")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-secret",
            "new_password2": "another-long-secret",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("another-long-secret")


def test_friendly_404_page(client, db):  # every page knows its school, from the database
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
