from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("Calls")

    def ready(self) -> None:
        from calls import erasure, panels, personal_data, retention, selectors
        from minegap.core.page_cache import register_time_boundary
        from minegap.core.personal_data import (
            register_erasure,
            register_export,
            register_retention,
        )

        panels.register()
        register_time_boundary(selectors.next_clock_change)
        register_export(personal_data.section())
        register_erasure(erasure.section())
        register_retention(retention.unsuccessful_rule())
