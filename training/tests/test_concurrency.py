"""Many parents press "Book" for the last seats at the same moment; a coordinator's
parents import is sent several times at once.

Each thread has its own database connection and goes through the whole stack (client,
view, service). On PostgreSQL the session row lock serialises them; on SQLite the
IMMEDIATE transaction does. Either way confirmed seats never exceed the capacity.
"""

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import settle_worker
from overstone.models import ImportJob, OutboxMessage
from training.models import Booking, BookingStatus, ParentProfile
from training.services import bookings, parents
from training.tests.factories import BookingFactory, ParentFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CAPACITY = 6
ALREADY_TAKEN = 3  # one booking of 1 + 2 guests
CONTENDERS = 12


def test_concurrent_requests_never_exceed_capacity():
    session = SessionFactory(capacity=CAPACITY, max_guests=2)
    BookingFactory(session=session, guests=2)
    parents = [ParentFactory() for _ in range(CONTENDERS)]
    clients = []
    for parent in parents:
        client = Client()
        client.force_login(parent)
        clients.append(client)
    url = reverse("training:book", args=[session.pk])
    start = threading.Barrier(CONTENDERS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def book(client: Client, guests: int) -> None:
        try:
            start.wait(timeout=30)
            statuses.append(client.post(url, {"guests": str(guests)}).status_code)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=(client, index % 2))
        for index, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert statuses == [302] * CONTENDERS
    assert Booking.objects.filter(session=session).count() == CONTENDERS + 1
    assert bookings.seats_taken(session) <= CAPACITY
    confirmed = Booking.objects.filter(session=session, status=BookingStatus.CONFIRMED)
    waitlisted = Booking.objects.filter(session=session, status=BookingStatus.WAITLISTED)
    # Six contenders ask for one seat each, so the free seats were all given away.
    assert bookings.seats_taken(session) == CAPACITY
    assert confirmed.count() + waitlisted.count() == CONTENDERS + 1
    # Whatever is left free is too small for every booking still waiting.
    free = CAPACITY - bookings.seats_taken(session)
    assert all(booking.seats > free for booking in waitlisted)
    settle_worker()


def test_the_same_parents_file_sent_four_times_at_once_is_imported_once(user_with_role):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one write transaction at a time: the race needs PostgreSQL")
    text = "name,email,year_group\nAnna Smith,anna@example.org,Year 2\nBen Ode,ben@example.org,R\n"
    contenders = 4
    clients = []
    for _ in range(contenders):
        client = Client()
        client.force_login(user_with_role("coordinator"))
        clients.append(client)
    start = threading.Barrier(contenders)
    locations: list[str] = []
    errors: list[BaseException] = []

    def send(client: Client) -> None:
        try:
            start.wait(timeout=30)
            upload = SimpleUploadedFile("parents.csv", text.encode())
            response = client.post(reverse("training:parent_import"), {"file": upload})
            assert response.status_code == 302, response.status_code
            locations.append(response["Location"])
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    job = ImportJob.objects.get()
    assert locations == [reverse("training:parent_import_job", args=[job.pk])] * contenders
    assert OutboxMessage.objects.filter(task_name__endswith="import_parents").count() == 1
    # Run here, unless the session's worker (CI) took the queued job first: either way once.
    parents.parents_import_job_run(job_id=job.pk)
    deadline = time.monotonic() + 60
    while not ImportJob.objects.get(pk=job.pk).is_finished:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert ParentProfile.objects.count() == 2
    settle_worker()
