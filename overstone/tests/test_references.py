"""A record reference in a URL that is not one (a NUL byte, above all) is a 404 on every
page that names a record, on PostgreSQL too (where a NUL in a query is an error)."""

import pytest

from overstone.roles import Role

pytestmark = pytest.mark.django_db

NUL = "%00"
PAGES = [
    ("get", Role.COORDINATOR, "/incidents/INC-2026-0001{}/"),
    ("get", Role.COORDINATOR, "/incidents/INC-2026-0001{}/edit/"),
    ("get", Role.COORDINATOR, "/incidents/INC-2026-0001{}/evidence/"),
    ("get", Role.COORDINATOR, "/incidents/INC-2026-0001{}/evidence/1/"),
    ("post", Role.COORDINATOR, "/incidents/INC-2026-0001{}/report/"),
    ("get", Role.COORDINATOR, "/incidents/INC-2026-0001{}/isp/"),
    ("get", Role.COORDINATOR, "/incidents/INC-2026-0001{}/police/"),
    ("get", Role.COORDINATOR, "/incidents/INC-2026-0001{}/close/"),
    ("get", Role.PRINCIPAL, "/complaints/CMP-2026-0001{}/"),
    ("post", Role.PRINCIPAL, "/complaints/CMP-2026-0001{}/move/"),
    ("get", Role.PRINCIPAL, "/complaints/CMP-2026-0001{}/evidence/"),
    ("get", Role.PRINCIPAL, "/complaints/CMP-2026-0001{}/evidence/1/"),
    ("get", Role.PRINCIPAL, "/complaints/CMP-2026-0001{}/removals/new/"),
    ("get", Role.PRINCIPAL, "/complaints/CMP-2026-0001{}/removals/1/confirm/"),
    ("get", Role.PRINCIPAL, "/complaints/CMP-2026-0001{}/governors-meeting/arrange/"),
    ("post", Role.PRINCIPAL, "/complaints/CMP-2026-0001{}/letters/parents_meeting/"),
    ("post", Role.PRINCIPAL, "/complaints/CMP-2026-0001{}/letters/parents_meeting.pdf"),
    ("post", Role.PRINCIPAL, "/complaints/CMP-2026-0001/letters/parents_meeting{}/"),
    ("post", Role.PRINCIPAL, "/complaints/CMP-2026-0001{}/bundle.zip"),
    ("get", Role.PRINCIPAL, "/complaints/concerns/CON-2026-0001{}/"),
    ("get", Role.PRINCIPAL, "/data-protection/subject-access/SAR-2026-0001{}/"),
    ("get", Role.PRINCIPAL, "/data-protection/subject-access/SAR-2026-0001{}/export.csv"),
]


@pytest.mark.parametrize(("method", "role", "url"), PAGES)
@pytest.mark.parametrize("junk", [NUL, "%00%00", "x%00y", "%20", "'"])
def test_a_reference_that_is_not_one_is_a_404(client, user_with_role, method, role, url, junk):
    client.force_login(user_with_role(role))
    response = getattr(client, method)(url.format(junk))
    assert response.status_code == 404
