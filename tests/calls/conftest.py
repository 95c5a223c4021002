from types import SimpleNamespace

import pytest

from calls import selectors


@pytest.fixture
def real_sme_lookup():
    """Request it to read SME declarations from the database instead of the stand-in below."""


@pytest.fixture(autouse=True)
def sme_declared(monkeypatch, request):
    """Every organisation counts as a declared small enterprise unless the test requests
    `real_sme_lookup` (the declaration model belongs to accounts; the lookup is tested alone)."""
    if "real_sme_lookup" in request.fixturenames:
        return
    monkeypatch.setattr(
        selectors, "latest_sme_declaration", lambda organisation: SimpleNamespace(category="small")
    )
