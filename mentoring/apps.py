from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        from mentoring import erasure, panels, personal_data
        from minegap.core.personal_data import register_erasure, register_export

        panels.register()
        register_export(personal_data.section())
        register_erasure(erasure.section())
