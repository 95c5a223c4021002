"""A URLconf of the id links' tests: the applications' page at another address, and a page
under the language's prefix (`i18n_patterns`)."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def _page(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(str(pk))


urlpatterns = [
    path(
        "elsewhere/",
        include(([path("applications/<int:pk>/", _page, name="apply-home")], "calls")),
    ),
    *i18n_patterns(path("things/<int:pk>/", _page, name="thing")),
]
