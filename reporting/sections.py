"""Annual-report sections declared by the apps above reporting.

Reporting counts the record apps' figures itself (``reporting.snapshot``), since it may
import them. An app on a higher layer (effectiveness, which moves the policy register's
review dates) may not be imported by reporting, so it declares its section in its own
``report_sections.py``, found at start-up as ``personal_data.py`` is. Example::

    from reporting.sections import ReportSection, register

    register(ReportSection(
        key="effectiveness",
        title="Effectiveness checks",
        build=effectiveness_figures,  # (school year) -> JSON-able data naming no one
        template="effectiveness/_annual_report_section.html",  # reads ``data``
    ))
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    build: Callable[[int], dict | list]
    template: str


_sections: dict[str, ReportSection] = {}


def register(section: ReportSection) -> ReportSection:
    _sections[section.key] = section
    return section


def autodiscover() -> None:
    autodiscover_modules("report_sections")


def declared_sections() -> list[ReportSection]:
    return list(_sections.values())
