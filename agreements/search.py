"""What agreements make searchable (see overstone.search): the register's documents and
their versions' text, for those who keep the register. Those who sign find theirs on
their own short list (agreements:mine)."""

from django.db.models import Max

from agreements.models import Agreement
from overstone.roles import Capability
from overstone.search import Hit, SearchSource, register

register(
    SearchSource(
        name="agreements",
        label="Agreements",
        capabilities=(Capability.MANAGE_AGREEMENTS,),
        records=lambda user: Agreement.objects.annotate(latest=Max("versions__effective_on")),
        fields=("title", "purpose", "versions__text"),
        describe=lambda agreement: Hit(
            title=agreement.title,
            summary=agreement.purpose,
            url=agreement.get_absolute_url(),
            on=agreement.latest,
        ),
    ),
)
