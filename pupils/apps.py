from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "pupils"

    def ready(self):
        from pupils import timeline

        # The record apps above declare what they hold about a pupil (pupil_timeline.py).
        timeline.autodiscover()
