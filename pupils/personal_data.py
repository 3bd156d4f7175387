"""What the pupil records hold about people, for data protection (overstone.personal_data).

A pupil's record is kept ``pupil`` years (OVERSTONE_RETENTION_PUPIL_YEARS) after they
left, then anonymised; the records that name them follow their own rules."""

from django.db.models import DateTimeField, F
from django.db.models.functions import Cast

from overstone.personal_data import Mention, RecordKind, SubjectAccessSource, register
from overstone.roles import Capability, can
from pupils.models import Pupil
from pupils.services import pupil_anonymise


def _visible(user):
    """Every pupil, to those who may open every pupil's page; none to anyone else."""
    pupils = Pupil.objects.all() if can(user, Capability.VIEW_PUPILS) else Pupil.objects.none()
    return pupils.annotate(reference=F("number"))  # data protection finds records by it


register(
    RecordKind(
        name="pupil",
        label="Pupil",
        model=Pupil,
        records=_visible,
        finished=lambda pupils: pupils.filter(
            left_on__isnull=False, anonymised_at__isnull=True
        ).annotate(
            # the day they left, as the moment the other kinds' records finished
            finished=Cast("left_on", DateTimeField()),
        ),
        anonymise=lambda pupil, actor: pupil_anonymise(pupil=pupil, actor=actor),
        retention_key="pupil",
        url_name="pupils:detail",
        finished_label="pupils' records, after they leave,",
    ),
    SubjectAccessSource(
        label="Pupil",
        model=Pupil,
        records=_visible,
        text_fields=("full_name", "first_name", "last_name"),
        account_fields=("parents",),
        date_field="created_at",
        describe=lambda pupil: Mention(
            "Pupil",
            pupil.number,
            pupil.created_at,
            f"{pupil.full_name}, {pupil.get_year_group_display()}"
            + (f", form {pupil.form}" if pupil.form else "")
            + (f", born {pupil.date_of_birth:%d/%m/%Y}" if pupil.date_of_birth else "")
            + (f", left on {pupil.left_on:%d/%m/%Y}" if pupil.left_on else ""),
            pupil.get_absolute_url(),
        ),
    ),
)
