"""Thin views, one module per subject (sessions and bookings, parents, induction, the
working party): selector -> form -> one service call -> message -> redirect."""

from django.views import View

from overstone.views import CapabilityRequiredMixin

PAGE_SIZE = 20


class PostOnlyView(CapabilityRequiredMixin, View):
    """An action a button posts: it ends on ``back_url()``, and so does a refusal."""

    http_method_names = ["post"]

    def back_url(self) -> str:
        raise NotImplementedError

    def refused_url(self) -> str:
        return self.back_url()
