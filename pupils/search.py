"""What pupils make searchable (see overstone.search): pupils by name, number and form,
as their page opens: every pupil for leadership, for staff those in the incidents they
logged (``pupils_visible``)."""

from overstone.roles import Capability
from overstone.search import Hit, SearchSource, register
from pupils.selectors import pupils_visible

register(
    SearchSource(
        name="pupils",
        label="Pupils",
        capabilities=(Capability.VIEW_PUPILS, Capability.LOG_INCIDENT),
        records=lambda user: pupils_visible(user=user),
        references=("number",),
        fields=("first_name", "last_name", "form"),
        describe=lambda pupil: Hit(
            title=str(pupil),
            summary=" · ".join(
                part
                for part in (
                    f"Form {pupil.form}" if pupil.form else "",
                    f"pupil number {pupil.number}",
                    f"left on {pupil.left_on:%d %B %Y}" if pupil.left_on else "",
                )
                if part
            ),
            url=pupil.get_absolute_url(),
        ),
    )
)
