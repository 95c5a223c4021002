from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "minegap.core"
    label = "core"
