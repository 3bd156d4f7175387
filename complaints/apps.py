from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"

    def ready(self):
        from complaints.selectors import school_calendar
        from overstone.schoolyear import school_day_check_provide

        # The term calendar kept here answers overstone.schoolyear.is_school_day.
        school_day_check_provide(lambda day: school_calendar().is_school_day(day))
