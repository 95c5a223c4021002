"""PDF rendering: real PDF bytes, the shared A4 layout with page numbers, local files only."""

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.template.loader import render_to_string

from minegap.documents.services import (
    StaticFilesFetcher,
    render_document,
    render_pdf,
    static_file_path,
)

SAMPLE = """{% extends "documents/base_pdf.html" %}
{% block title %}Sample{% endblock %}
{% block reference %}Receipt {{ reference }}{% endblock %}
{% block heading %}Sample document{% endblock %}
{% block content %}
  <p>Beneficiary: Nordic Ore Sensing Oy — €60,000.00 (ÅÄÖ)</p>
  <section class="page-break"><h2>Second</h2></section>
  <section class="page-break"><h2>Third</h2><img src="{{ image }}" alt=""></section>
{% endblock %}
"""


@pytest.fixture
def sample_template(tmp_path, settings):
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "sample.html").write_text(SAMPLE)
    template_settings = {
        **settings.TEMPLATES[0],
        "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]],
    }
    settings.TEMPLATES = [template_settings]
    return "documents/sample.html"


def box_texts(box) -> list[str]:
    texts = [box.text] if hasattr(box, "text") else []
    for child in getattr(box, "children", None) or []:
        texts += box_texts(child)
    return texts


def test_render_pdf_makes_a_real_pdf(sample_template):
    pdf = render_pdf(sample_template, {"reference": "MG-2026-0001", "image": ""})

    assert pdf.startswith(b"%PDF-1.")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"startxref" in pdf


def test_the_base_layout_numbers_pages_and_shows_the_reference(sample_template):
    document = render_document(sample_template, {"reference": "MG-2026-0001", "image": ""})

    assert len(document.pages) == 3
    footers = [box_texts(page._page_box)[-2:] for page in document.pages]
    assert footers == [
        ["Receipt MG-2026-0001", f"Page {n} of 3"] for n in (1, 2, 3)
    ]  # fmt: skip
    page_width_mm = document.pages[0].width * 25.4 / 96
    assert round(page_width_mm) == 210  # A4


def test_the_layout_uses_dejavu_sans(sample_template):
    document = render_document(sample_template, {"reference": "R", "image": ""})
    pdf = document.write_pdf(uncompressed_pdf=True)
    assert b"DejaVu-Sans" in pdf


def test_network_resources_are_refused_and_the_pdf_still_renders(sample_template, caplog):
    pdf = render_pdf(sample_template, {"reference": "R", "image": "http://203.0.113.9/x.png"})

    assert pdf.startswith(b"%PDF-")
    assert "PDF documents may use local static files only, not http://203.0.113.9/x.png" in (
        caplog.text
    )


@pytest.mark.parametrize(
    "url", ["http://example.com/a.css", "https://example.com/a.css", "file:///etc/passwd"]
)
def test_the_fetcher_refuses_anything_but_static_files(url):
    with pytest.raises(ValueError, match="local static files only"):
        StaticFilesFetcher().fetch(url)


def test_static_urls_resolve_to_the_static_files_on_disk():
    expected = (django_settings.BASE_DIR / "static" / "css" / "pdf.css").resolve()
    assert static_file_path("file:///static/css/pdf.css") == expected
    assert static_file_path(expected.as_uri()) == expected
    assert static_file_path("file:///static/css/../../etc/passwd") is None
    assert static_file_path("file:///static/..%2F..%2Fetc/passwd") is None
    response = StaticFilesFetcher().fetch("file:///static/css/pdf.css")
    assert response.read().startswith(b"/* PDF documents (WeasyPrint)")


@pytest.fixture
def collected_static_with_hashed_names(tmp_path, settings):
    """Production's static storage: `collectstatic` into a fresh root, names with their hash."""
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_a_pdf_finds_its_stylesheet_under_hashed_static_names(
    collected_static_with_hashed_names, sample_template, caplog
):
    html = render_to_string(sample_template, {"reference": "MG-2026-0001", "image": ""})
    linked = html.split('rel="stylesheet" href="')[1].split('"')[0]
    assert linked.startswith("/static/css/pdf.") and linked != "/static/css/pdf.css"  # hashed
    hashed_file = collected_static_with_hashed_names / linked.removeprefix("/static/")
    assert static_file_path(f"file://{linked}") == hashed_file

    document = render_document(sample_template, {"reference": "MG-2026-0001", "image": ""})

    assert "Failed to load stylesheet" not in caplog.text
    # The page numbers exist only when pdf.css (its @page margin boxes) was applied.
    footers = [box_texts(page._page_box)[-2:] for page in document.pages]
    assert footers == [
        ["Receipt MG-2026-0001", f"Page {n} of 3"] for n in (1, 2, 3)
    ]  # fmt: skip


def test_the_footer_dates_the_document_as_people_read_it(sample_template, time_machine):
    """Issue #13: the footer read "2026-12-06 18:34 CET"; it uses the language's format and
    names the time zone, as deadlines do."""
    time_machine.move_to("2026-12-06T17:34:00+00:00", tick=False)
    html = render_to_string(sample_template, {"reference": "R", "image": ""})
    assert "Generated by MineGap on 6 December 2026, 18:34 (Europe/Brussels)." in html
