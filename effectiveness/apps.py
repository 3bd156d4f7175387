from django.apps import AppConfig


class EffectivenessConfig(AppConfig):
    name = "effectiveness"
    verbose_name = "Effectiveness checks and risk assessments"
