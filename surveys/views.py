"""Thin views: selector -> form -> one service call -> message -> redirect."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from overstone.audit import Action, audit_record
from overstone.exports import csv_response
from overstone.roles import Capability
from overstone.schools import school_scope
from overstone.views import CapabilityRequiredMixin, RefusedMessageMixin
from surveys import selectors, services
from surveys.forms import (
    AnswerForm,
    ClassCodeForm,
    CodeEntryForm,
    CouncilMeetingForm,
    CouncilPointForm,
    CouncilResponseForm,
    QuestionForm,
    ReportIncludeForm,
    SurveyForm,
)
from surveys.models import SMALL_GROUP, Response

EXPORT_WITHHELD = (
    f"The survey is anonymous: its answers can be exported once {SMALL_GROUP} people have answered."
)
LIST_PAGE = 25  # surveys or School Council meetings on a page
# The class codes this browser session has answered with (a pupil answers once each).
SESSION_ANSWERED = "surveys_class_codes_answered"


# ---------------------------------------------------------------------------
# Answering (parents, school personnel and governors with their accounts)
# ---------------------------------------------------------------------------
class MySurveysView(CapabilityRequiredMixin, TemplateView):
    capability = Capability.ANSWER_SURVEYS
    template_name = "surveys/mine.html"

    def get_context_data(self, **kwargs):
        items = selectors.surveys_for(user=self.request.user)
        return super().get_context_data(items=items, **kwargs)


class AnswerPageMixin:
    """A survey's questions as one form; the answers go to ``submit``."""

    template_name = "surveys/answer.html"

    def get_form(self, form_class=None):
        return AnswerForm(questions=list(self.survey.questions.all()), **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        return super().get_context_data(survey=self.survey, **kwargs)


class AnswerView(CapabilityRequiredMixin, AnswerPageMixin, FormView):
    capability = Capability.ANSWER_SURVEYS

    def dispatch(self, request, *args, **kwargs):
        self.survey = selectors.survey_get(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.leave() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.leave() or super().post(request, *args, **kwargs)

    def leave(self):
        """A survey not addressed to this person is not shown (404, not 403); one they
        have answered sends them back to their list."""
        if selectors.audience_of(user=self.request.user, survey=self.survey) is None:
            raise Http404
        if selectors.has_answered(user=self.request.user, survey=self.survey):
            messages.info(self.request, "You have already answered this survey: thank you.")
            return redirect("surveys:mine")
        return None

    def form_valid(self, form):
        services.response_submit(
            survey=self.survey, answers=form.answers(), actor=self.request.user
        )
        messages.success(self.request, f"Thank you: your answers to {self.survey} are saved.")
        return redirect("surveys:mine")


# ---------------------------------------------------------------------------
# Pupils: a class code, no account
# ---------------------------------------------------------------------------
class CodeEntryView(FormView):
    """Open to anyone: the code is the key. A wrong code says so, and nothing else."""

    template_name = "surveys/code_entry.html"
    form_class = CodeEntryForm

    def form_valid(self, form):
        class_code = selectors.class_code_get(code=form.cleaned_data["code"])
        if class_code is None:
            form.add_error("code", "That code is not right: check it with your teacher.")
            return self.form_invalid(form)
        return redirect("surveys:class_answer", code=class_code.code)


class ClassAnswerView(RefusedMessageMixin, AnswerPageMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        self.class_code = selectors.class_code_get(code=kwargs["code"])
        if self.class_code is None:
            raise Http404
        self.survey = self.class_code.survey
        with school_scope(self.survey.school_id):  # the page is rendered there too
            response = super().dispatch(request, *args, **kwargs)
            return response.render() if hasattr(response, "render") else response

    def get(self, request, *args, **kwargs):
        return self.leave() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.leave() or super().post(request, *args, **kwargs)

    def leave(self):
        """This browser session has answered with this code, or the survey is not open."""
        if self.class_code.pk in self.request.session.get(SESSION_ANSWERED, []):
            return redirect("surveys:thanks")
        if not self.survey.is_open_on(timezone.localdate()):
            messages.error(self.request, f"{self.survey} is not open.")
            return redirect("surveys:code_entry")
        return None

    def refused_url(self) -> str:
        return reverse("surveys:code_entry")

    def get_context_data(self, **kwargs):
        return super().get_context_data(class_code=self.class_code, **kwargs)

    def form_valid(self, form):
        services.response_submit_by_code(class_code=self.class_code, answers=form.answers())
        answered = self.request.session.get(SESSION_ANSWERED, [])
        self.request.session[SESSION_ANSWERED] = [*answered, self.class_code.pk]
        return redirect("surveys:thanks")


class ThanksView(TemplateView):
    template_name = "surveys/thanks.html"


# ---------------------------------------------------------------------------
# Managing surveys (principal, SLT, coordinator)
# ---------------------------------------------------------------------------
class SurveyListView(CapabilityRequiredMixin, ListView):
    capability = Capability.MANAGE_SURVEYS
    template_name = "surveys/survey_list.html"
    context_object_name = "surveys"
    paginate_by = LIST_PAGE

    def get_queryset(self):
        return selectors.survey_list()


class SurveyCreateView(CapabilityRequiredMixin, FormView):
    capability = Capability.MANAGE_SURVEYS
    template_name = "surveys/survey_form.html"
    form_class = SurveyForm

    def form_valid(self, form):
        data = form.cleaned_data
        survey = services.survey_create(
            title=data["title"],
            introduction=data["introduction"],
            audiences=data["audiences"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            anonymous=data["anonymous"],
            actor=self.request.user,
        )
        messages.success(self.request, f"{survey} created: now add its questions.")
        return redirect(survey)


class SurveyPageMixin(CapabilityRequiredMixin):
    capability = Capability.MANAGE_SURVEYS

    def dispatch(self, request, *args, **kwargs):
        self.survey = selectors.survey_get(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(survey=self.survey, **kwargs)

    def refused_url(self) -> str:
        return self.survey.get_absolute_url()


class SurveyDetailView(SurveyPageMixin, TemplateView):
    template_name = "surveys/survey_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            responses=selectors.response_count(survey=self.survey),
            question_form=QuestionForm(),
            class_code_form=ClassCodeForm(),
            **kwargs,
        )


class QuestionAddView(SurveyPageMixin, FormView):
    template_name = "surveys/question_form.html"
    form_class = QuestionForm

    def form_valid(self, form):
        question = services.question_add(survey=self.survey, actor=self.request.user,
                                         **form.cleaned_data)  # fmt: skip
        messages.success(self.request, f"Question added: {question}")
        return redirect(self.survey)


class ClassCodeAddView(SurveyPageMixin, FormView):
    template_name = "surveys/class_code_form.html"
    form_class = ClassCodeForm

    def form_valid(self, form):
        code = services.class_code_create(survey=self.survey, actor=self.request.user,
                                          **form.cleaned_data)  # fmt: skip
        messages.success(self.request, f"Code for {code.group}: {code.code}")
        return redirect(self.survey)


class ReportIncludeView(SurveyPageMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = ReportIncludeForm(request.POST)
        form.is_valid()
        include = form.cleaned_data.get("include", False)
        services.survey_report_include(survey=self.survey, include=include, actor=request.user)
        if include:
            messages.success(request, f"{self.survey} will be included in the annual report.")
        else:
            messages.info(request, f"{self.survey} is no longer in the annual report.")
        return redirect("surveys:results", pk=self.survey.pk)


class ResultsView(SurveyPageMixin, TemplateView):
    template_name = "surveys/results.html"

    def get_context_data(self, **kwargs):
        audit_record(self.request, Action.VIEW, self.survey, reference=f"results of {self.survey}")
        return super().get_context_data(
            results=selectors.survey_results(survey=self.survey),
            responses=selectors.response_count(survey=self.survey),
            export_withheld=selectors.export_withheld(survey=self.survey),
            small_group=SMALL_GROUP,
            **kwargs,
        )


class ExportView(SurveyPageMixin, View):
    """Every response as a CSV row (formula-safe), audited as an export."""

    def get(self, request, pk):
        if selectors.export_withheld(survey=self.survey):
            messages.info(request, EXPORT_WITHHELD)
            return redirect("surveys:results", pk=self.survey.pk)
        audit_record(request, Action.EXPORT, model=Response, reference=f"survey {self.survey.pk}")
        return csv_response(
            f"survey-{self.survey.pk}.csv",
            selectors.export_header(survey=self.survey),
            selectors.export_rows(survey=self.survey),
        )


# ---------------------------------------------------------------------------
# School Council
# ---------------------------------------------------------------------------
class CouncilListView(CapabilityRequiredMixin, ListView):
    capability = Capability.MANAGE_SCHOOL_COUNCIL
    template_name = "surveys/council_list.html"
    context_object_name = "meetings"
    paginate_by = LIST_PAGE

    def get_queryset(self):
        return selectors.council_meeting_list()


class CouncilCreateView(CapabilityRequiredMixin, FormView):
    capability = Capability.MANAGE_SCHOOL_COUNCIL
    template_name = "surveys/council_form.html"
    form_class = CouncilMeetingForm

    def form_valid(self, form):
        meeting = services.council_meeting_create(actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"{meeting} recorded.")
        return redirect(meeting)


class CouncilDetailView(CapabilityRequiredMixin, FormView):
    """A meeting with what was raised; the form adds another point."""

    capability = Capability.MANAGE_SCHOOL_COUNCIL
    template_name = "surveys/council_detail.html"
    form_class = CouncilPointForm

    def dispatch(self, request, *args, **kwargs):
        self.meeting = selectors.council_meeting_get(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting=self.meeting, response_form=CouncilResponseForm(), **kwargs
        )

    def form_valid(self, form):
        services.council_point_add(meeting=self.meeting, actor=self.request.user,
                                   **form.cleaned_data)  # fmt: skip
        messages.success(self.request, "Point added.")
        return redirect(self.meeting)


class CouncilRespondView(CapabilityRequiredMixin, FormView):
    capability = Capability.MANAGE_SCHOOL_COUNCIL
    template_name = "surveys/council_respond.html"
    form_class = CouncilResponseForm

    def dispatch(self, request, *args, **kwargs):
        self.point = selectors.council_point_get(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"school_response": self.point.school_response}

    def get_context_data(self, **kwargs):
        return super().get_context_data(point=self.point, **kwargs)

    def form_valid(self, form):
        services.council_point_respond(point=self.point, actor=self.request.user,
                                       **form.cleaned_data)  # fmt: skip
        messages.success(self.request, "The school's response is saved.")
        return redirect(self.point.meeting)
