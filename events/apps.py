from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from events import panels, selectors
        from minegap.core.page_cache import register_time_boundary

        panels.register()
        register_time_boundary(selectors.next_clock_change)
