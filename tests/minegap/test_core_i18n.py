"""The language switcher and the Spanish catalogue of the base layout."""

import re

import pytest
from django.utils import translation

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_switching_to_spanish_translates_the_navigation(client):
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    html = client.get("/").content.decode()
    assert re.search(r'<html lang="([a-z-]+)">', html).group(1) == "es"
    wide = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r"<a [^>]*>(.*?)</a>", wide)[-2:] == ["Iniciar sesión", "Registrarse"]
    assert html.count("Saltar al contenido") == 1


def test_switcher_lists_every_configured_language_and_marks_the_current_one(client, settings):
    html = client.get("/").content.decode()

    codes = re.findall(r'<option value="([a-z-]+)" lang=', html)
    selected = re.findall(r'<option value="([a-z-]+)" lang="[a-z-]+" selected>', html)
    assert codes == [code for code, _ in settings.LANGUAGES]
    assert selected == ["en"]


def test_dashboard_placeholders_are_translated(client):
    client.force_login(UserFactory())
    client.post("/i18n/setlang/", {"language": "es", "next": "/dashboard/"})

    html = client.get("/dashboard/").content.decode()

    assert html.count("<h1>Panel</h1>") == 1
    assert html.count('<h2 id="get-started-heading">Primeros pasos</h2>') == 1


def test_spanish_catalogue_is_compiled():
    with translation.override("es"):
        assert translation.gettext("Sign out") == "Cerrar sesión"
        assert translation.gettext("Signed in as %(name)s") % {"name": "Ana"} == (
            "Sesión iniciada como Ana"
        )
