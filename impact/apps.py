from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = _("Impact")

    def ready(self) -> None:
        from impact import panels, personal_data, retention, selectors
        from minegap.core.page_cache import register_time_boundary
        from minegap.core.personal_data import register_export, register_retention

        panels.register()
        # The follow-up stage opens by the clock: the public impact figures change then.
        register_time_boundary(selectors.next_clock_change)
        register_export(personal_data.section())
        register_retention(retention.rule())
