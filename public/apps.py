from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public")

    def ready(self) -> None:
        from public import signals  # models are importable only once apps are ready

        signals.connect()
