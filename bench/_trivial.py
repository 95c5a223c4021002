"""The trivial baseline of issue #15: one `select 1` and a 10-item template, served by the same
gunicorn under the same settings as the product; and an empty page on the site's layout
(`base.html`, no query of its own): what every page pays before its own content. Bench-only: `bench/_urls.py` mounts it beside
the product's URLs; the product's URLconf never does (tests/bench checks it)."""

from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>trivial</title><ul>{% for item in items %}<li>{{ item }}</li>"
    "{% endfor %}</ul><p>{{ one }}</p>"
)
LAYOUT = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Layout{% endblock %}'
    "{% block content %}<p>layout</p>{% endblock %}"
)


def trivial(request):
    with connection.cursor() as cursor:
        cursor.execute("select 1")
        (one,) = cursor.fetchone()
    return HttpResponse(TEMPLATE.render({"items": [f"item {n}" for n in range(10)], "one": one}))


def layout(request):
    return HttpResponse(LAYOUT.render({}, request))


urlpatterns = [
    path("__bench__/trivial/", trivial, name="bench-trivial"),
    path("__bench__/layout/", layout, name="bench-layout"),
    path("", include("minegap.urls")),
]
