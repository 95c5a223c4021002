from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "minegap.notifications"
    label = "notifications"

    def ready(self) -> None:
        from minegap.core.personal_data import register_retention
        from minegap.notifications import retention

        register_retention(retention.rule())
