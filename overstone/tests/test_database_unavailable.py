"""While the database is unreachable, pages answer a friendly 503; afterwards the app
carries on by itself. Each test runs Django in its own process, whose database really
is unreachable (a closed port, or a file that cannot be opened)."""

import json

import pytest

from conftest import run_django

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CLOSED_PORT_DATABASE_URL = "postgres://overstone@127.0.0.1:1/overstone?connect_timeout=2"

FRIENDLY = "Overstone is briefly unavailable"


def test_a_database_that_cannot_be_reached_gives_a_friendly_503():
    output = run_django(
        "import json; from django.test import Client\n"
        "logged_in = Client(HTTP_HOST='localhost')\n"
        "logged_in.cookies['sessionid'] = 'a-session-from-before-the-outage'\n"
        "page = logged_in.get('/incidents/')\n"
        "form = Client(HTTP_HOST='localhost').post(\n"
        "    '/accounts/password_reset/', {'email': 'someone@school.example'})\n"
        "print(json.dumps([[r.status_code, r.content.decode(), r.get('Retry-After')]\n"
        "                  for r in (page, form)]))",
        DATABASE_URL=CLOSED_PORT_DATABASE_URL,
    )
    for status, body, retry_after in json.loads(output):
        assert status == 503
        assert FRIENDLY in body
        assert "Traceback" not in body
        assert retry_after == "30"


def test_the_app_recovers_by_itself_when_the_database_is_back(user_with_role):
    user_with_role("coordinator", username="carla")
    output = run_django(
        """
import json
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

client = Client(HTTP_HOST="localhost")
client.force_login(get_user_model().objects.get(username="carla"))
reachable = dict(connection.settings_dict)
results = [client.get("/incidents/").status_code]

connection.close()  # the outage: the database goes away under a running process
if connection.vendor == "sqlite":
    connection.settings_dict["NAME"] = "/nonexistent/overstone/db.sqlite3"
else:
    connection.settings_dict["PORT"] = "1"
during = client.get("/incidents/")
results.append([during.status_code, "briefly unavailable" in during.content.decode()])

connection.settings_dict.update(reachable)  # the database is back; nothing is restarted
results.append(client.get("/incidents/").status_code)
print(json.dumps(results))
"""
    )
    before, during, after = json.loads(output)
    assert before == 200
    assert during == [503, True]
    assert after == 200
