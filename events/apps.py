from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from events import erasure, panels, personal_data, selectors
        from minegap.core.page_cache import register_time_boundary
        from minegap.core.personal_data import register_erasure, register_export

        panels.register()
        register_time_boundary(selectors.next_clock_change)
        register_export(personal_data.section())
        register_erasure(erasure.section())
