import logging

from django.apps import AppConfig

# WeasyPrint logs every rendering step (and its own style sheets at import) at INFO; keep
# warnings and errors only, so commands and worker logs stay readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


class DocumentsConfig(AppConfig):
    name = "minegap.documents"
    label = "documents"
