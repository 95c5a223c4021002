"""Template tags for pages outside the accounts app (the dashboard panel)."""

from django import template

from accounts import selectors

register = template.Library()


@register.simple_tag
def user_memberships(user) -> list:
    """The person's memberships with organisation and current SME declaration (2 queries)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(selectors.memberships_for_user(user))
