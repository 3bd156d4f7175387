from django.apps import AppConfig


class OverstoneConfig(AppConfig):
    name = "overstone"
    verbose_name = "Overstone"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.urls import register_converter

        from overstone import links, monitored, personal_data, search, workqueue
        from overstone.middleware import session_touch_on_login
        from overstone.references import ReferenceConverter

        user_logged_in.connect(session_touch_on_login, dispatch_uid="overstone_session_touch")
        register_converter(ReferenceConverter, "ref")
        # Every app's declarations, found as the admin finds admin.py.
        personal_data.autodiscover()
        monitored.autodiscover()
        links.autodiscover()
        search.autodiscover()
        workqueue.autodiscover()
