"""The check that no test replaces our own code (tests/stand_ins.py), on sources written here."""

from textwrap import dedent

from tests.stand_ins import StandIn, stand_ins


def found(source: str) -> list[tuple[int, str, str | None]]:
    return [(s.line, s.call, s.target) for s in stand_ins(dedent(source))]


def test_monkeypatching_our_objects_is_found_through_the_imports():
    # Sample source for the scanner, never run. Its dotted string is split in two literals
    # (one string to Python) so that a text search for patches of our code does not take this
    # sample for one; the scanner must still resolve it.
    source = """
        from calls import selectors
        import evaluation.views.redress as redress
        from vouchers.services import agreements

        def test_a(monkeypatch):
            monkeypatch.setattr(selectors, "latest_sme_declaration", lambda o: None)
            monkeypatch.setattr(redress.PAGE_SIZE, 2)
            monkeypatch.setattr("minegap" ".core.views.connection", object())
            monkeypatch.delattr(agreements, "vacate_selection")
            with monkeypatch.context() as patched:
                patched.setattr(selectors, "x", 1)
    """
    assert found(source) == [
        (7, "monkeypatch.setattr", "calls.selectors.latest_sme_declaration"),
        (8, "monkeypatch.setattr", "evaluation.views.redress.PAGE_SIZE"),
        (9, "monkeypatch.setattr", "minegap.core.views.connection"),
        (10, "monkeypatch.delattr", "vouchers.services.agreements.vacate_selection"),
        (12, "monkeypatch.setattr", "calls.selectors.x"),
    ]


def test_mock_patch_in_every_spelling_is_found():
    source = """
        from unittest import mock
        from unittest.mock import patch
        import unittest.mock

        from public import views

        @patch("accounts.selectors.current_declaration")
        def test_a(mocker):
            with mock.patch.object(views, "BENEFICIARIES_PER_PAGE", 4):
                pass
            with unittest.mock.patch.dict("matchmaking.search.WEIGHTS", {}):
                pass
            mocker.patch("evaluation.rules.can_read_proposal")
    """
    assert found(source) == [
        (8, "mock.patch", "accounts.selectors.current_declaration"),
        (10, "mock.patch.object", "public.views.BENEFICIARIES_PER_PAGE"),
        (12, "mock.patch.dict", "matchmaking.search.WEIGHTS"),
        (14, "mock.patch", "evaluation.rules.can_read_proposal"),
    ]


def test_time_and_the_outside_world_may_be_patched():
    source = """
        import smtplib
        from django.conf import settings
        from rest_framework.throttling import AnonRateThrottle

        def test_a(monkeypatch, api):
            monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
            monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "sqlite3")
            monkeypatch.setattr("django.utils.timezone.now", lambda: None)
            monkeypatch.setattr(smtplib, "SMTP", object)
            monkeypatch.setenv("HEALTHCHECK_URL", "http://127.0.0.1:1/")
            api.patch("/api/v1/applications/1/", {"title": "Via API"})
    """
    assert found(source) == []


def test_a_target_it_cannot_resolve_is_reported():
    source = """
        def test_a(monkeypatch, application):
            monkeypatch.setattr(application, "is_open", True)
    """
    assert found(source) == [(3, "monkeypatch.setattr", None)]
    assert str(stand_ins(dedent(source))[0]) == (
        "3: monkeypatch.setattr patches a target this check cannot resolve"
    )
    assert StandIn(3, "mock.patch", "calls.rules").__str__() == (
        "3: mock.patch patches calls.rules"
    )
