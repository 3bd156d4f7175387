from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.generic import TemplateView, View

from overstone.pdf import html_to_pdf
from overstone.roles import Capability
from overstone.schoolyear import school_year_label, school_year_of
from overstone.views import CapabilityRequiredMixin
from trust.figures import COUNTED, trust_figures, trust_totals

# The first school year the year picker offers.
FIRST_YEAR = 2020


def _year(request) -> int:
    """The school year asked for (``?year=2025``); this one if none or nonsense."""
    this_year = school_year_of()
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if FIRST_YEAR <= year <= this_year else this_year


def _context(year: int) -> dict:
    schools = trust_figures(year)
    return {
        "year": year,
        "year_label": school_year_label(year),
        "previous_label": school_year_label(year - 1),
        "counted": COUNTED,
        "schools": schools,
        "totals": trust_totals(schools),
        # One table per figure: each school's line, then the trust's.
        "tables": [
            (counted, [(row.school, row.figures[index]) for row in schools])
            for index, counted in enumerate(COUNTED)
        ],
        "years": [
            (start, school_year_label(start))
            for start in range(school_year_of(), FIRST_YEAR - 1, -1)
        ],
    }


class TrustDashboardView(CapabilityRequiredMixin, TemplateView):
    """Every school's figures side by side, per 1,000 pupils, against last year: figures
    only, never a name of a pupil, parent or member of staff."""

    capability = Capability.VIEW_TRUST_FIGURES
    template_name = "trust/dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_context(_year(self.request)), **kwargs)


class TrustReportPdfView(CapabilityRequiredMixin, View):
    """The trust's annual report for a school year, as a PDF for the trustees."""

    capability = Capability.VIEW_TRUST_FIGURES

    def get(self, request):
        year = _year(request)
        html = render_to_string("trust/report_document.html", _context(year), request=request)
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        filename = f"trust-annual-report-{school_year_label(year)}.pdf".replace("–", "-")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
