from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = _("Impact")

    def ready(self) -> None:
        from impact import panels, personal_data, retention
        from minegap.core.personal_data import register_export, register_retention

        panels.register()
        register_export(personal_data.section())
        register_retention(retention.rule())
