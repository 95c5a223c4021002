"""The trivial baseline of issue #15: one `select 1` and a 10-item template, served by the same
gunicorn under the same settings as the product. Bench-only: `bench/_urls.py` mounts it beside
the product's URLs; the product's URLconf never does (tests/bench checks it)."""

from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>trivial</title><ul>{% for item in items %}<li>{{ item }}</li>"
    "{% endfor %}</ul><p>{{ one }}</p>"
)


def trivial(request):
    with connection.cursor() as cursor:
        cursor.execute("select 1")
        (one,) = cursor.fetchone()
    return HttpResponse(TEMPLATE.render({"items": [f"item {n}" for n in range(10)], "one": one}))


urlpatterns = [
    path("__bench__/trivial/", trivial, name="bench-trivial"),
    path("", include("minegap.urls")),
]
