"""The Celery application: configured from Django settings (CELERY_*); eager when REDIS_URL is unset."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minegap.settings.local")

app = Celery("minegap")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
