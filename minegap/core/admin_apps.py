"""django.contrib.admin with its site replaced (a module of its own: app configs load before models)."""

from django.contrib.admin.apps import AdminConfig


class SecondFactorAdminConfig(AdminConfig):
    default_site = "minegap.core.admin_site.SecondFactorAdminSite"
