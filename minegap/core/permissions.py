"""The API asks the same named permissions (django-rules) as the pages and templates."""

from rest_framework.permissions import BasePermission


class NamedPermission(BasePermission):
    """Subclass with `permission = "app.name"`: the view needs `user.has_perm(permission)`, and
    an object the view checks (`check_object_permissions`) needs `has_perm(permission, obj)`."""

    permission = ""

    def has_permission(self, request, view) -> bool:
        return bool(self.permission) and request.user.has_perm(self.permission)

    def has_object_permission(self, request, view, obj) -> bool:
        return bool(self.permission) and request.user.has_perm(self.permission, obj)
