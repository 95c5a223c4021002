"""The key public pages read in Spanish when the person's language is Spanish: the main strings
come from locale/es, with no English left among them."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from tests.auth import sign_in
from tests.calls.factories import CallFactory
from tests.factories import MembershipFactory
from tests.public.factories import imported_award, project, results_call, sme

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_data():
    call = results_call(slug="call-a", title="Call A")
    funded = project(call, [(sme("FI", legal_name="Lapland Ore Sensing Oy"), "25000.00")])
    imported_award(funded, "2021-06-30")
    return {"open_call": CallFactory(title="Call C is open", slug="call-c"), "funded": funded}


def spanish_text(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    html = re.sub(r"<(script|style)\b.*?</\1>", "", response.content.decode(), flags=re.S)
    # Collapse ordinary white space only: money keeps its no-break spaces ("25 000,00 €").
    return re.sub(r"[ \t\r\n]+", " ", strip_tags(html)).strip()


PAGES = {
    "home": (
        "/",
        [
            "Convocatorias abiertas y próximas",
            "Cifras clave",
            "Total adjudicado",
            "25\u00a0000,00\u00a0€",
            "Últimos proyectos financiados",
            "Todos los proyectos financiados",
            "Abierta",
        ],
        [
            "Open and upcoming calls",
            "Key figures",
            "Total awarded",
            "Latest funded projects",
            "All funded projects",
            "Results published",
        ],
    ),
    "call": (
        reverse("calls:public-detail", args=["call-c"]),
        [
            "Las reglas en palabras sencillas",
            "Cómo se puntúan las propuestas",
            "Presupuesto total de la convocatoria: 1\u00a0500\u00a0000,00\u00a0€.",
            "Países admisibles: Bulgaria, Finlandia, Francia",
            "Los evaluadores divergen",
        ],
        [
            "The rules in plain words",
            "How proposals are scored",
            "Total budget of the call",
            "Finland,",
            "The evaluators diverge",
            "per SME",
        ],
    ),
    "projects": (
        reverse("public:projects"),
        [
            "Descargar esta lista (CSV)",
            "1 proyecto financiado",
            "Mostrar proyectos",
            "Materia prima crítica",
            "Wolframio",
            "País: Todos",
        ],
        [
            "Download this list (CSV)",
            "1 funded project",
            "Show projects",
            "Critical raw material",
            "Tungsten",
            "Newest award first",
        ],
    ),
    "figures": (
        reverse("public:figures"),
        [
            "Por convocatoria",
            "Tasa de éxito",
            "aún sin decidir",
            "Financiación por país",
            "Importe adjudicado por país",
            "Finlandia",
        ],
        [
            "Per call",
            "Success rate",
            "not yet decided",
            "Funding by country",
            "Amount awarded by country",
            "A funded project is one",
        ],
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_a_key_page_reads_in_spanish(client, public_data, name):
    url, spanish, english = PAGES[name]

    text = spanish_text(client, url)

    assert [s for s in spanish if s not in text] == []
    assert [e for e in english if e in text] == []


def test_an_applicants_page_reads_in_spanish(client, public_data):
    sign_in(client, MembershipFactory().user)

    text = spanish_text(client, reverse("calls:apply-dashboard"))

    spanish = [
        "Mis solicitudes",
        "Todavía no hay ninguna solicitud.",
        "Convocatorias abiertas ahora",
    ]
    english = ["My applications", "No application yet.", "Calls open now", "Apply"]
    assert [s for s in spanish if s not in text] == []
    assert [e for e in english if e in text] == []
