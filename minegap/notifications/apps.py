from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "minegap.notifications"
    label = "notifications"

    def ready(self) -> None:
        from minegap.core.personal_data import (
            register_erasure,
            register_export,
            register_retention,
        )
        from minegap.notifications import erasure, personal_data, retention

        register_retention(retention.rule())
        register_export(personal_data.section())
        register_erasure(erasure.section())
