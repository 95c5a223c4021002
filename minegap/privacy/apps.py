from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "minegap.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from minegap.core.personal_data import register_erasure, register_retention
        from minegap.privacy import erasure, retention

        register_retention(retention.rule())
        register_erasure(erasure.section())
