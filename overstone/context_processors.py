from overstone.navigation import work_for
from overstone.roles import user_roles


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    work = work_for(user)
    return {
        "nav_items": [item for item in work if item.url_name],
        "user_role_labels": sorted(role.label for role in user_roles(user)),
    }
