from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "minegap.documents"
    label = "documents"
