from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"

    def ready(self):
        from complaints.selectors import school_calendar
        from overstone.schoolyear import school_day_check_provide

        # The term calendars kept here (one a school) answer overstone.schoolyear.is_school_day
        # for the school in scope.
        school_day_check_provide(lambda day: school_calendar().is_school_day(day))
