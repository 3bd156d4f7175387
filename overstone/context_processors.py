from overstone.navigation import current_link, navigation_for
from overstone.roles import user_roles


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
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
