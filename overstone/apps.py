from django.apps import AppConfig


class OverstoneConfig(AppConfig):
    name = "overstone"
    verbose_name = "Overstone"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from overstone.middleware import session_touch_on_login
        from overstone.personal_data import autodiscover

        user_logged_in.connect(session_touch_on_login, dispatch_uid="overstone_session_touch")
        autodiscover()  # every app's personal_data module, as the admin finds admin.py
