"""Many parents press "Book" for the last seats at the same moment.

Each thread has its own database connection and goes through the whole stack (client,
view, service). On PostgreSQL the session row lock serialises them; on SQLite the
IMMEDIATE transaction does. Either way confirmed seats never exceed the capacity.
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import settle_worker
from training.models import Booking, BookingStatus
from training.services import bookings
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
