from overstone.navigation import current_link, navigation_for
from overstone.roles import user_roles
from overstone.twofactor import needs_second_factor


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if needs_second_factor(user) and not user.is_verified():
        # Nothing opens before the second factor: no links, and no badge to fetch (its
        # request would be sent to the set-up page and take the page there with it).
        return {
            "second_factor_pending": True,
            "user_role_labels": sorted(role.label for role in user_roles(user)),
        }
    sections = navigation_for(user)
    current = current_link(sections, request.path)
    return {
        "nav_sections": sections,
        "nav_current_link": current,
        "nav_current_section": next(
            (section.title for section in sections if current in section.links), None
        ),
        "user_role_labels": sorted(role.label for role in user_roles(user)),
    }


def schools(request):
    """The school the user is working in, and the others they may switch to (the
    switcher shows only when there is more than one)."""
    school = getattr(request, "school", None)
    if school is None:
        return {}
    return {"current_school": school, "switchable_schools": request.switchable_schools}
