"""Every ledger action the code writes has a human label in the ledger browser."""

import re
from pathlib import Path

from django.conf import settings

from minegap.ledger.labels import _LABELS

APPS = ("accounts", "calls", "evaluation", "vouchers", "matchmaking", "public", "minegap")
LITERAL = re.compile(r'action="([a-z_]+\.[a-z_]+\.[a-z_]+)"')


def written_action_codes() -> set[str]:
    codes = set()
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            codes.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    return codes


def test_the_scan_finds_the_codes_the_apps_write():
    codes = written_action_codes()
    assert {"calls.application.submitted", "evaluation.decision.adopted"} <= codes
    assert len(codes) > 50


def test_every_literal_action_code_has_a_label():
    assert sorted(written_action_codes() - set(_LABELS)) == []


def test_codes_built_from_states_have_labels_too():
    built = {
        "evaluation.complaint.upheld",
        "evaluation.complaint.dismissed",
        "vouchers.deliverable.accepted",
        "vouchers.deliverable.returned",
        "matchmaking.interest.accepted",
        "matchmaking.interest.declined",
    }
    assert sorted(built - set(_LABELS)) == []
