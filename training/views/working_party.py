"""The working party: meetings, minutes, actions and members."""

from functools import cached_property

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, ListView, TemplateView

from overstone.exports import query_year
from overstone.markdown import render_markdown
from overstone.roles import Capability
from overstone.schoolyear import school_year_label, school_year_of
from overstone.views import CapabilityRequiredMixin
from training import selectors
from training.forms import (
    ActionItemForm,
    MeetingForm,
    MemberEndForm,
    MemberForm,
)
from training.models import (
    term_of,
)
from training.permissions import reads_all_minutes
from training.services import working_party
from training.views import PAGE_SIZE, PostOnlyView


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
