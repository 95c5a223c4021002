from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minegap.ledger.labels import register_action_labels


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Public")

    def ready(self) -> None:
        from public import signals  # models are importable only once apps are ready

        signals.connect()
        register_action_labels({"public.figures.recorded": _("Call figures recorded")})
