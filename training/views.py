"""Thin views: selector -> form -> one service call -> message -> redirect."""

from functools import cached_property

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from overstone.audit import Action, audit_record
from overstone.bodylimit import BodyLimit
from overstone.exports import csv_response, query_text, query_year
from overstone.markdown import render_markdown
from overstone.models import ImportJob
from overstone.redirects import safe_next_url
from overstone.roles import Capability
from overstone.schoolyear import school_year_label, school_year_of
from overstone.views import CapabilityRequiredMixin, ImportJobView, import_underway_message
from training import selectors
from training.forms import (
    ActionItemForm,
    AttendanceForm,
    BookingForm,
    InductionForm,
    InductionValidityForm,
    MeetingForm,
    MemberEndForm,
    MemberForm,
    ParentForm,
    ParentImportForm,
    SessionCancelForm,
    SessionForm,
)
from training.models import (
    SEAT_HOLDING,
    BookingStatus,
    InductionTopic,
    term_of,
)
from training.permissions import bookable_audiences, reads_all_minutes
from training.services import bookings, induction, parents, working_party

PAGE_SIZE = 20


class PostOnlyView(CapabilityRequiredMixin, View):
    """An action a button posts: it ends on ``back_url()``, and so does a refusal."""

    http_method_names = ["post"]

    def back_url(self) -> str:
        raise NotImplementedError

    def refused_url(self) -> str:
        return self.back_url()


# ---------------------------------------------------------------------------
# Sessions (coordinator)
# ---------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------
# Parent accounts (coordinator)
# ---------------------------------------------------------------------------
class ParentListView(CapabilityRequiredMixin, ListView):
    capability = Capability.MANAGE_TRAINING
    template_name = "training/parent_list.html"
    context_object_name = "parents"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.parent_list(
            search=query_text(self.request, "q"),
            year_group=query_text(self.request, "year_group"),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            q=self.request.GET.get("q", ""),
            year_group=self.request.GET.get("year_group", ""),
            **kwargs,
        )


class ParentCreateView(CapabilityRequiredMixin, FormView):
    capability = Capability.MANAGE_TRAINING
    template_name = "training/parent_form.html"
    form_class = ParentForm

    def form_valid(self, form):
        user, of_another_school = parents.parent_create(
            actor=self.request.user, **form.cleaned_data
        )
        if of_another_school:
            messages.success(
                self.request,
                f"{user.get_full_name()} is a parent at another school: their account is "
                "now a parent's here too (they log in as they already do).",
            )
        else:
            messages.success(
                self.request, f"Added {user.get_full_name()}; an invitation is on its way."
            )
        return redirect("training:parent_list")


class ParentImportView(CapabilityRequiredMixin, FormView):
    """Keeps the file and queues its import; the job's page follows it."""

    capability = Capability.MANAGE_TRAINING
    body_limit = BodyLimit.IMPORT
    template_name = "training/parent_import.html"
    form_class = ParentImportForm

    def form_valid(self, form):
        job, created = parents.parents_import_start(
            csv_text=form.cleaned_data["file"], actor=self.request.user
        )
        if not created:
            messages.info(self.request, import_underway_message(job, form.cleaned_data["file"]))
        return redirect("training:parent_import_job", pk=job.pk)


class ParentImportJobView(ImportJobView):
    capability = Capability.MANAGE_TRAINING
    kind = ImportJob.Kind.PARENTS
    heading = "Import of parents"
    upload_url = "training:parent_import"
    back_url = "training:parent_list"
    back_label = "Parent accounts"

    def summary(self, result: dict) -> str:
        joined = result.get("joined", 0)  # not in the results of imports before schools
        of_another_school = (
            f"{joined} parent(s) of another school are now parents here too; " if joined else ""
        )
        return (
            f"{result['created']} parent(s) added, each sent an invitation; "
            f"{of_another_school}{result['already_present']} already had an account."
        )


class ParentInviteView(PostOnlyView):
    capability = Capability.MANAGE_TRAINING

    def post(self, request, pk):
        profile = selectors.parent_profile_get(pk=pk)
        parents.parent_invite(user=profile.user, actor=request.user)
        messages.success(request, f"A new invitation is on its way to {profile.user.email}.")
        return redirect(self.back_url())

    def back_url(self) -> str:
        return reverse("training:parent_list")


# ---------------------------------------------------------------------------
# Booking (parents, and staff for staff sessions)
# ---------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------
# Staff induction
# ---------------------------------------------------------------------------
class MyInductionView(CapabilityRequiredMixin, FormView):
    capability = Capability.RECORD_INDUCTION
    template_name = "training/induction_mine.html"
    form_class = InductionForm

    def get_initial(self):
        return {"topic": self.request.GET.get("topic"), "completed_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        rows = selectors.induction_standing(
            selectors.induction_records_for(user=self.request.user),
            validity=selectors.induction_validity(),
            today=timezone.localdate(),
        )
        return super().get_context_data(rows=rows, **kwargs)

    def form_valid(self, form):
        induction.induction_record(
            staff=self.request.user, actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, "Recorded. The e-Safety coordinator will confirm it.")
        return redirect("training:induction_mine")


class InductionMatrixView(CapabilityRequiredMixin, ListView):
    capability = Capability.MANAGE_TRAINING
    template_name = "training/induction_matrix.html"
    context_object_name = "staff"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.staff_for_matrix(
            search=query_text(self.request, "q"),
            gaps_only=self.request.GET.get("gaps") == "1",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        validity, today = selectors.induction_validity(), timezone.localdate()
        context["rows"] = [
            (
                person,
                selectors.induction_standing(
                    {r.topic: r for r in person.induction_list}, validity=validity, today=today
                ),
            )
            for person in context["staff"]
        ]
        context["topics"] = list(InductionTopic)
        context["q"] = self.request.GET.get("q", "")
        context["gaps"] = self.request.GET.get("gaps") == "1"
        return context


class InductionValidityView(CapabilityRequiredMixin, FormView):
    """How long each induction topic counts before it must be done again."""

    capability = Capability.MANAGE_TRAINING
    template_name = "training/induction_validity.html"

    def get_form(self, form_class=None):
        return InductionValidityForm(
            validity=selectors.induction_validity(), **self.get_form_kwargs()
        )

    def form_valid(self, form):
        changed = induction.induction_validity_set(months=form.months(), actor=self.request.user)
        messages.success(self.request, f"Saved ({len(changed)} topic(s) changed).")
        return redirect("training:induction_matrix")


class InductionConfirmView(PostOnlyView):
    capability = Capability.MANAGE_TRAINING

    def post(self, request, pk):
        record = selectors.induction_record_get(pk=pk)
        induction.induction_confirm(record=record, actor=request.user)
        messages.success(request, "Confirmed.")
        return redirect(self.back_url())

    def back_url(self) -> str:
        return safe_next_url(self.request, default="training:induction_matrix")


# ---------------------------------------------------------------------------
# Working party
# ---------------------------------------------------------------------------
class MinutesReaderMixin(CapabilityRequiredMixin):
    """Those who read all minutes, and parent representatives (``READ_OWN_MINUTES``), who
    see only the meetings they attended: the selectors decide which."""

    capability = Capability.READ_MINUTES

    def has_permission(self) -> bool:
        return selectors.may_open_minutes(user=self.request.user)


class MeetingListView(MinutesReaderMixin, ListView):
    template_name = "training/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = PAGE_SIZE

    def school_year(self) -> int | None:
        return query_year(self.request)

    def get_queryset(self):
        return selectors.meeting_list(user=self.request.user, school_year=self.school_year())

    def get_context_data(self, **kwargs):
        years = selectors.meeting_school_years(user=self.request.user)
        return super().get_context_data(
            years=[(y, school_year_label(y)) for y in years],
            year=self.school_year(),
            **kwargs,
        )


class MeetingDetailView(MinutesReaderMixin, TemplateView):
    template_name = "training/meeting_detail.html"

    def get_context_data(self, **kwargs):
        meeting = selectors.meeting_get(user=self.request.user, pk=kwargs["pk"])
        # Actions carried over belong to other meetings: only for those who read them all.
        carried_over = (
            selectors.actions_carried_over(meeting=meeting)
            if reads_all_minutes(self.request.user)
            else None
        )
        return super().get_context_data(
            meeting=meeting,
            minutes_html=render_markdown(meeting.minutes),
            carried_over=carried_over,
            **kwargs,
        )


class MeetingFormMixin:
    """Attendees are picked from every membership, current ones first; the form refuses
    one that did not cover the meeting's date."""

    template_name = "training/meeting_form.html"

    def get_form(self, form_class=None):
        return MeetingForm(members=selectors.member_list(), **self.get_form_kwargs())


class MeetingCreateView(CapabilityRequiredMixin, MeetingFormMixin, FormView):
    capability = Capability.EDIT_MINUTES

    def get_initial(self):
        today = timezone.localdate()
        return {
            "school_year": school_year_of(today),
            "term": term_of(today),
            "held_on": today,
            "agenda": working_party.meeting_agenda_draft(held_on=today),
        }

    def form_valid(self, form):
        meeting = working_party.meeting_create(actor=self.request.user, **form.service_fields())
        messages.success(self.request, f"Saved the {meeting} meeting.")
        return redirect("training:meeting_detail", pk=meeting.pk)


class MeetingUpdateView(CapabilityRequiredMixin, MeetingFormMixin, FormView):
    capability = Capability.EDIT_MINUTES

    @cached_property
    def meeting(self):
        return selectors.meeting_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        return MeetingForm.initial_for(self.meeting)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def form_valid(self, form):
        working_party.meeting_update(
            meeting=self.meeting, actor=self.request.user, **form.service_fields()
        )
        messages.success(self.request, "Saved.")
        return redirect("training:meeting_detail", pk=self.meeting.pk)


class ActionCreateView(CapabilityRequiredMixin, FormView):
    capability = Capability.EDIT_MINUTES
    template_name = "training/action_form.html"

    @cached_property
    def meeting(self):
        return selectors.meeting_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form(self, form_class=None):
        return ActionItemForm(owners=selectors.action_owner_choices(), **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)

    def form_valid(self, form):
        working_party.action_create(
            meeting=self.meeting, actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, "Action added.")
        return redirect("training:meeting_detail", pk=self.meeting.pk)


class ActionDoneView(PostOnlyView):
    capability = Capability.EDIT_MINUTES

    def post(self, request, pk):
        self.action = selectors.action_get(pk=pk)
        working_party.action_complete(action=self.action, actor=request.user)
        messages.success(request, "Marked done.")
        return redirect(self.back_url())

    def back_url(self) -> str:
        return reverse("training:meeting_detail", args=[self.action.meeting_id])


class MemberListView(CapabilityRequiredMixin, FormView):
    """The working party's members, current and past, and a form to add one."""

    capability = Capability.EDIT_MINUTES
    template_name = "training/member_list.html"

    def get_form(self, form_class=None):
        return MemberForm(users=selectors.member_user_choices(), **self.get_form_kwargs())

    def get_initial(self):
        return {"from_date": timezone.localdate()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            members=selectors.member_list(),
            today=timezone.localdate(),
            end_form=MemberEndForm(initial={"to_date": timezone.localdate()}),
            **kwargs,
        )

    def form_valid(self, form):
        member = working_party.working_party_member_add(
            actor=self.request.user, **form.cleaned_data
        )
        messages.success(self.request, f"Added {member}.")
        return redirect("training:member_list")


class MemberEndView(PostOnlyView):
    capability = Capability.EDIT_MINUTES

    def post(self, request, pk):
        member = selectors.member_get(pk=pk)
        form = MemberEndForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Give the membership's last day.")
            return redirect(self.back_url())
        working_party.working_party_member_end(
            member=member, to_date=form.cleaned_data["to_date"], actor=request.user
        )
        messages.success(request, f"{member} has left the working party.")
        return redirect(self.back_url())

    def back_url(self) -> str:
        return reverse("training:member_list")
