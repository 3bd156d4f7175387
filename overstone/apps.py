from django.apps import AppConfig


class OverstoneConfig(AppConfig):
    name = "overstone"
    verbose_name = "Overstone"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from overstone import monitored, personal_data
        from overstone.middleware import session_touch_on_login

        user_logged_in.connect(session_touch_on_login, dispatch_uid="overstone_session_touch")
        # Every app's declarations, found as the admin finds admin.py.
        personal_data.autodiscover()
        monitored.autodiscover()
