"""Sessions, attendance and bookings: the coordinator's sessions, and the bookings of
parents (and of staff, for staff sessions)."""

from functools import cached_property

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from overstone.audit import Action, audit_record
from overstone.exports import csv_response
from overstone.roles import Capability
from overstone.views import CapabilityRequiredMixin
from training import selectors
from training.forms import (
    AttendanceForm,
    BookingForm,
    SessionCancelForm,
    SessionForm,
)
from training.models import (
    SEAT_HOLDING,
    BookingStatus,
)
from training.permissions import bookable_audiences
from training.services import bookings
from training.views import PAGE_SIZE, PostOnlyView


class SessionListView(CapabilityRequiredMixin, ListView):
    capability = Capability.MANAGE_TRAINING
    template_name = "training/session_list.html"
    context_object_name = "sessions"
    paginate_by = PAGE_SIZE
    WHEN = {"upcoming": "Upcoming", "past": "Past", "all": "All"}

    def when(self) -> str:
        when = self.request.GET.get("when", "upcoming")
        return when if when in self.WHEN else "upcoming"

    def get_queryset(self):
        return selectors.session_list(when=self.when())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            when=self.when(),
            when_choices=self.WHEN,
            unconfirmed_count=selectors.unconfirmed_induction_records().count(),
            **kwargs,
        )


class SessionFormMixin:
    template_name = "training/session_form.html"
    form_class = SessionForm

    def form_valid(self, form):
        session = self.save(form.cleaned_data)
        messages.success(self.request, f"Saved “{session.title}”.")
        return redirect("training:session_detail", pk=session.pk)


class SessionCreateView(CapabilityRequiredMixin, SessionFormMixin, FormView):
    capability = Capability.MANAGE_TRAINING

    def save(self, data):
        return bookings.session_create(actor=self.request.user, **data)


class SessionUpdateView(CapabilityRequiredMixin, SessionFormMixin, FormView):
    capability = Capability.MANAGE_TRAINING

    def dispatch(self, request, *args, **kwargs):
        self.session = selectors.session_get(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # A copy: the form must not change the row before the service locks it.
        instance = selectors.session_get(pk=self.session.pk)
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, **kwargs)

    def save(self, data):
        return bookings.session_update(session=self.session, actor=self.request.user, **data)


class SessionDetailView(CapabilityRequiredMixin, TemplateView):
    capability = Capability.MANAGE_TRAINING
    template_name = "training/session_detail.html"

    def get_context_data(self, **kwargs):
        session = selectors.session_get(pk=kwargs["pk"])
        bookings = list(selectors.session_bookings(session=session))
        return super().get_context_data(
            session=session,
            confirmed=[b for b in bookings if b.status in SEAT_HOLDING],
            waitlisted=[b for b in bookings if b.status == BookingStatus.WAITLISTED],
            started=session.starts_at <= timezone.now(),
            cancel_form=SessionCancelForm(),
            history=selectors.session_history(session=session),
            **kwargs,
        )


class SessionCancelView(PostOnlyView):
    capability = Capability.MANAGE_TRAINING

    def post(self, request, pk):
        session = selectors.session_get(pk=pk)
        form = SessionCancelForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"Nothing was cancelled: {form.errors['reason'][0]}")
            return redirect(self.back_url())
        bookings.session_cancel(
            session=session, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "The session is cancelled; everyone booked is told.")
        return redirect(self.back_url())

    def back_url(self) -> str:
        return reverse("training:session_detail", args=[self.kwargs["pk"]])


class AttendanceMarkView(PostOnlyView):
    capability = Capability.MANAGE_TRAINING

    def post(self, request, pk):
        self.booking = selectors.booking_get(pk=pk)
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose attended or did not attend.")
        else:
            bookings.attendance_mark(
                booking=self.booking, attended=form.cleaned_data["attended"], actor=request.user
            )
        return redirect(self.back_url())

    def back_url(self) -> str:
        return reverse("training:session_detail", args=[self.booking.session_id])


class AttendanceCsvView(CapabilityRequiredMixin, View):
    capability = Capability.MANAGE_TRAINING

    def get(self, request, pk):
        session = selectors.session_get(pk=pk)
        audit_record(request, Action.EXPORT, session, reference=f"attendance of {session}")
        filename = f"attendance-session-{session.pk}-{session.starts_at:%Y-%m-%d}.csv"
        header = ["session", "date", "name", "email", "year_group", "adults", "status"]
        starts = f"{timezone.localtime(session.starts_at):%Y-%m-%d %H:%M}"

        def rows():
            for booking in selectors.session_bookings(session=session):
                yield (
                    session.title,
                    starts,
                    booking.parent.get_full_name(),
                    booking.parent.email,
                    booking.child_year_group or "",
                    booking.seats,
                    booking.get_status_display(),
                )

        return csv_response(filename, header, rows())


class BookingRequiredMixin(CapabilityRequiredMixin):
    """Open to whoever books some audience's sessions: parents (``BOOK_TRAINING``) or school
    personnel (``BOOK_STAFF_TRAINING``); the selectors show each only their audience's."""

    capability = Capability.BOOK_TRAINING

    def has_permission(self) -> bool:
        return bool(bookable_audiences(self.request.user))


class UpcomingView(BookingRequiredMixin, ListView):
    template_name = "training/upcoming.html"
    context_object_name = "sessions"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.upcoming_sessions_for_parent(user=self.request.user)

    def get_context_data(self, **kwargs):
        bookings = selectors.bookings_for_parent(user=self.request.user)[:PAGE_SIZE]
        return super().get_context_data(
            bookings=bookings,
            now=timezone.now(),
            audiences=bookable_audiences(self.request.user),
            **kwargs,
        )


class BookView(BookingRequiredMixin, FormView):
    template_name = "training/book.html"

    @cached_property
    def session(self):
        return selectors.bookable_session_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form(self, form_class=None):
        return BookingForm(max_guests=self.session.max_guests, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, **kwargs)

    def form_valid(self, form):
        booking = bookings.booking_create(
            session=self.session,
            parent=self.request.user,
            guests=form.cleaned_data["guests"],
            actor=self.request.user,
        )
        if booking.status == BookingStatus.CONFIRMED:
            messages.success(self.request, "Your place is booked. A confirmation e-mail is coming.")
        else:
            messages.info(
                self.request,
                "The session is full: you are on the waitlist. We will e-mail you if a place "
                "comes free.",
            )
        return redirect("training:upcoming")


class BookingCancelView(BookingRequiredMixin, PostOnlyView):
    def post(self, request, pk):
        booking = selectors.booking_for_parent(user=request.user, pk=pk)
        bookings.booking_cancel(booking=booking, actor=request.user)
        messages.success(request, f"Your booking for “{booking.session.title}” is cancelled.")
        return redirect(self.back_url())

    def back_url(self) -> str:
        return reverse("training:upcoming")
