"""The pupil's agreements, for the pupil's page (see pupils.timeline): each current
version of an agreement parents sign per child, signed (when, by whom) or not yet.

Shown to those who may see every pupil (leadership) only: a staff member sees a pupil's
page through the incidents they logged, and an agreement is not one of those."""

from agreements import selectors
from overstone.roles import Capability, can
from pupils.timeline import TimelineEntry, register


@register
def agreements_of(pupil, user):
    if not can(user, Capability.VIEW_PUPILS):
        return
    versions = [
        (agreement, selectors.current_version(agreement=agreement))
        for agreement in selectors.agreement_list()
        if agreement.per_child
    ]
    versions = [(agreement, version) for agreement, version in versions if version]
    signed = {
        signature.version_id: signature
        for signature in selectors.signatures_for_pupil(
            number=pupil.number, versions=[version for _, version in versions]
        )
    }
    may_open = can(user, Capability.MANAGE_AGREEMENTS)
    for agreement, version in versions:
        signature = signed.get(version.pk)
        if signature:
            how = " on paper" if signature.method == signature.Method.PAPER else ""
            on = signature.signed_at
            summary = f"Signed{how} by {signature.signer.get_full_name() or signature.signer}."
        else:
            on = version.effective_on
            summary = f"Not signed yet (in effect since {version.effective_on:%d %B %Y})."
        yield TimelineEntry(
            on=on,
            kind="Agreement",
            reference=str(version),
            summary=summary,
            url=agreement.get_absolute_url() if may_open else "",
        )
