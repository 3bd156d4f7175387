from django import template

register = template.Library()


@register.filter
def person(user, missing: str = "Overstone") -> str:
    """A user's name as people read it: full name, else username; ``missing`` for none
    (events written by Overstone itself have no actor)."""
    if user is None:
        return missing
    return user.get_full_name() or user.get_username()
