"""Random and hostile values posted to every form: never a 500, never a stored script.

Each form is read from its page (so a new field is covered without editing this file),
then hypothesis fills every field with hostile text, huge strings, control characters,
impossible dates, unknown choices and SQL fragments.
"""

import re

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overstone.roles import Role

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('owned')</script>"
HOSTILE = st.sampled_from(
    [
        SCRIPT,
        '"><img src=x onerror=alert(1)>',
        "' OR 1=1; DROP TABLE incidents_incident; --",
        "\x00",
        "nul\x00inside",
        "\x1b[31m\r\n\t",
        "2026-02-30",
        "9999-99-99T99:99",
        "-1",
        "1e309",
        "../../etc/passwd",
        "javascript:alert(1)",
        "ℵ𝔘\u202e",
        "",
        "A" * 100_000,
    ]
)
VALUES = st.one_of(HOSTILE, st.text(max_size=300), st.integers().map(str))

FORMS = [
    ("incidents:create", Role.COORDINATOR),
    ("complaints:create", Role.PRINCIPAL),
    ("complaints:report", Role.STAFF),
    ("complaints:concern_create", Role.PARENT),
    ("training:session_create", Role.COORDINATOR),
    ("training:parent_create", Role.COORDINATOR),
    ("training:meeting_create", Role.PRINCIPAL),
    ("reporting:policy_create", Role.PRINCIPAL),
    ("privacy:sar_create", Role.PRINCIPAL),
    ("privacy:legal_holds", Role.PRINCIPAL),
    ("pupils:create", Role.COORDINATOR),
    ("agreements:create", Role.COORDINATOR),
    ("agreements:version_create", Role.COORDINATOR),
    ("agreements:paper_record", Role.COORDINATOR),
    ("surveys:create", Role.PRINCIPAL),
    ("surveys:question_add", Role.PRINCIPAL),
    ("surveys:class_code_add", Role.PRINCIPAL),
    ("surveys:council_create", Role.PRINCIPAL),
    ("surveys:council_detail", Role.PRINCIPAL),
    ("surveys:council_respond", Role.PRINCIPAL),
    ("surveys:code_entry", None),
    ("surveys:answer", Role.PARENT),
    ("agreements:sign", Role.PARENT),
    ("effectiveness:check_create", Role.COORDINATOR),
    ("effectiveness:check_update", Role.COORDINATOR),
    ("effectiveness:risk_create", Role.COORDINATOR),
    ("effectiveness:risk_update", Role.COORDINATOR),
    ("effectiveness:checklist_item", Role.COORDINATOR),
    ("cases:referral_add", Role.COORDINATOR),
    ("cases:task_add", Role.COORDINATOR),
    ("password_change", Role.STAFF),
    ("password_reset", None),
    ("login", None),
]
FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


def field_names(page: str) -> list[str]:
    form = page[page.index("<main") :]
    names = set(FIELD.findall(form)) - {"csrfmiddlewaretoken"}
    return sorted(names)


@pytest.mark.parametrize(("url_name", "role"), FORMS)
def test_hostile_values_never_cause_a_500_or_a_stored_script(
    client, user_with_role, url_name, role
):
    from overstone.tests.test_access_matrix import URL_KWARGS

    if role:
        client.force_login(user_with_role(role))
    url = reverse(url_name, kwargs=URL_KWARGS.get(url_name, dict)())
    names = field_names(client.get(url).text)
    assert names, f"no form fields found on {url}"

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({name: VALUES for name in names}))
    def post(data):
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)
        if response.status_code == 302 and role:
            page = client.get(response["Location"])
            assert page.status_code < 500
            assert SCRIPT not in page.content.decode(errors="replace")

    post()


HOSTILE_QUERY = {
    "q": "nul\x00byte",
    "search": SCRIPT,
    "year": "²",
    "year_group": "\x00",
    "page": "-1",
    "ordering": "password",
    "status": "' OR 1=1 --",
    "stage": "9" * 40,
    "category": "<b>",
    "occurred_min": "2026-02-30",
    "occurred_max": "not a date",
    "when": "yesterday",
    "gaps": "\x00",
    "reported_by": str(2**70),
    "topic": "\x00",
    "school_year": "1e309",
    "type": "incident' --",
    "after": "0001-01-01T00:00:00+01:00~1",
    "before": "9999-12-31T23:59:59-01:00~1",
}


def get_pages():
    from overstone.tests.test_access_matrix import EXPECTED, URL_KWARGS

    for name, statuses in sorted(EXPECTED.items()):
        allowed = [who for who, status in statuses.items() if status == 200 and who in Role.values]
        if name not in URL_KWARGS and allowed:
            yield name, allowed[0]


@pytest.mark.parametrize(("url_name", "role"), list(get_pages()))
def test_hostile_query_strings_never_cause_a_500(client, user_with_role, url_name, role):
    client.force_login(user_with_role(role))
    response = client.get(reverse(url_name), HOSTILE_QUERY)
    assert response.status_code < 500
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert SCRIPT.encode() not in body
