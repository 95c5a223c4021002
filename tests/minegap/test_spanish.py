"""The key public pages read in Spanish when the person's language is Spanish: the main strings
come from locale/es, with no English left among them."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from mentoring import services as mentoring_services
from mentoring.models import ProgressRating
from tests.auth import sign_in
from tests.calls.factories import CallFactory
from tests.events.factories import EventFactory
from tests.factories import MembershipFactory
from tests.mentoring.factories import accepted, expert, mentored_project
from tests.public.factories import imported_award, project, results_call, sme
from tests.vouchers.factories import staff_user

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


def test_the_public_events_and_impact_pages_read_in_spanish(client):
    EventFactory(title="Jornada en Oulu")

    events = spanish_text(client, reverse("events:list"))
    impact = spanish_text(client, reverse("public:impact"))

    assert [
        s
        for s in ["Eventos", "Jornada informativa", "Descargar esta lista (CSV)"]
        if s not in events
    ] == []
    assert [e for e in ["Events", "Info day", "Download this list (CSV)"] if e in events] == []
    spanish = ["Impacto de los proyectos financiados", "Aún no se ha comunicado ningún impacto."]
    english = ["Impact of the funded projects", "No impact has been reported yet."]
    assert [s for s in spanish if s not in impact] == []
    assert [e for e in english if e in impact] == []


def test_a_mentored_project_reads_in_spanish(client, settings, tmp_path, time_machine):
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = staff_user(full_name="Stella Staff")
    mentor = expert(full_name="Marta Mentor", email="marta.mentor@example.eu")
    project = mentored_project(staff)
    time_machine.move_to(datetime(2027, 3, 15, 10, 30, tzinfo=UTC))
    assignment = accepted(project.voucher, mentor, staff)
    mentoring_services.submit_milestone_report(
        assignment=assignment,
        actor=mentor,
        milestone=project.voucher.milestones.get(sequence=1),
        rating=ProgressRating.ON_TRACK,
        report="Línea piloto instalada.",
        approve=True,
    )
    sign_in(client, project.consortium.admins[0])

    mentoring = spanish_text(client, f"/apply/vouchers/{project.voucher.pk}/mentoring/")
    voucher = spanish_text(client, f"/apply/vouchers/{project.voucher.pk}/")

    spanish = [
        "Su mentor",
        "Hitos e informes del mentor",
        "Informe aprobado el 15 de marzo de 2027: su tramo pasó a ser pagadero",
        "Según lo previsto",
        "Registro de mentoría",
        "Aún no se ha registrado ninguna reunión.",
    ]
    english = ["Your mentor", "Milestones and the mentor", "On track", "Mentoring log"]
    assert [s for s in spanish if s not in mentoring] == []
    assert [e for e in english if e in mentoring] == []
    spanish = [
        "Informe del mentor sobre el hito aprobado: Mid-term review",
        "Informe del mentor aprobado el 15 de marzo de 2027 El tramo 2 pasó a ser pagadero.",
        "Pagadero",
    ]
    english = ["milestone report approved", "became due", "waits for", "Payment plan"]
    assert [s for s in spanish if s not in voucher] == []
    assert [e for e in english if e in voucher] == []
