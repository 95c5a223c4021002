from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "minegap.notifications"
    label = "notifications"
