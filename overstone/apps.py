from django.apps import AppConfig


class OverstoneConfig(AppConfig):
    name = "overstone"
    verbose_name = "Overstone"
