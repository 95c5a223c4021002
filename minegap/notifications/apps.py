from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "minegap.notifications"
    label = "notifications"

    def ready(self) -> None:
        from minegap.core.personal_data import register_export, register_retention
        from minegap.notifications import personal_data, retention

        register_retention(retention.rule())
        register_export(personal_data.section())
