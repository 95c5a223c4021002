from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from matchmaking import erasure, panels, personal_data
        from minegap.core.personal_data import register_erasure, register_export

        panels.register()
        register_export(personal_data.section())
        register_erasure(erasure.section())
        from matchmaking import signals  # noqa: F401  (connects the receivers)
