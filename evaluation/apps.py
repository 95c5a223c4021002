from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from evaluation import erasure, panels, personal_data, retention
        from minegap.core.personal_data import (
            register_erasure,
            register_export,
            register_retention,
        )

        panels.register()
        register_export(personal_data.section())
        register_erasure(erasure.section())
        register_retention(retention.rule())
