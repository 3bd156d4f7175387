from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self):
        from reporting import sections

        # The sections of apps above reporting (reporting.sections).
        sections.autodiscover()
