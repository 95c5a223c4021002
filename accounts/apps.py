from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from accounts import erasure, panels, personal_data, retention, signals
        from minegap.core.personal_data import (
            register_erasure,
            register_export,
            register_retention,
        )

        panels.register()
        signals.connect()
        register_export(personal_data.section())
        register_erasure(erasure.section())
        register_retention(retention.rule())
