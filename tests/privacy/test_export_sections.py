"""Each app's "My data" section gives a person's own records, written out here by hand, and
nobody else's: Ada and Bo share an organisation, an application, an evaluated proposal, a
committee session and a voucher, and Ada's export holds only what is Ada's."""

import json

import pytest

from minegap.core.personal_data import export_sections
from tests.privacy.two_people import AT, seeded_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    return seeded_world()


def _export(user) -> dict:
    return {section.name: section.export(user) for section in export_sections()}


def test_every_app_registers_a_section():
    assert [section.name for section in export_sections()] == [
        "accounts",
        "calls",
        "evaluation",
        "events",
        "impact",
        "ledger",
        "matchmaking",
        "mentoring",
        "notifications",
        "vouchers",
    ]


def test_accounts_section_holds_the_account_memberships_declarations_and_tokens(seeded):
    ada, alpha = seeded["ada"], seeded["alpha"]
    alpha_ref = {"id": alpha.pk, "legal_name": "Alpha Sorting Oy", "country": "FI"}

    assert _export(ada)["accounts"] == {
        "account": {
            "id": ada.pk,
            "email": "ada@alpha.example",
            "full_name": "Ada Lindqvist",
            "date_joined": AT,
            "last_login": None,
            "is_active": True,
            "roles": [],
        },
        "email_addresses": [{"email": "ada@alpha.example", "verified": True, "primary": True}],
        "second_factors": [{"type": "totp", "created_at": AT, "last_used_at": None}],
        "memberships": [{"organisation": alpha_ref, "role": "admin", "joined_at": AT}],
        "sme_declarations_signed": [
            {
                "organisation": alpha_ref,
                "version": 1,
                "reference_year": 2025,
                "staff_headcount": "8.00",
                "annual_turnover": "1200000.00",
                "balance_sheet_total": "900000.00",
                "enterprise_category": "autonomous",
                "public_body_holding": "0.00",
                "sme_class": "micro",
                "related_enterprises": [],
                "signed_at": AT,
                "superseded_at": AT,
            }
        ],
        "api_tokens": [
            {
                "name": "Ada's script",
                "created_at": AT,
                "expires_at": "2026-06-03T09:30:00Z",
                "revoked_at": None,
                "last_used_at": None,
                "created_after_second_factor": True,
                "uses": [
                    {
                        "at": AT,
                        "method": "GET",
                        "path": "/api/v1/a/",
                        "client_address": "192.0.2.10",
                    }
                ],
            }
        ],
    }


def test_calls_section_holds_the_applications_worked_on_and_own_budget_line(seeded):
    ada, alpha = seeded["ada"], seeded["alpha"]
    [sensort] = _export(ada)["calls"]["applications"]

    assert sensort == {
        "id": sensort["id"],
        "reference": "MTG1-001",
        "call": {"code": "MTG1", "title": "Mining call one"},
        "title": "Sensor-driven ore sorting",
        "acronym": "SENSORT",
        "summary": "Sorting ore with sensors.",
        "state": "submitted",
        "created_at": AT,
        "created_by_you": True,
        "last_submitted_at": AT,
        "answers": [
            {"question": "What problem does the project solve?", "text": "Ore dilution."},
            {"question": "What is the expected impact?", "text": "Less waste rock."},
        ],
        "budget_lines": [
            {
                "organisation": {"id": alpha.pk, "legal_name": "Alpha Sorting Oy"},
                "is_lead": True,
                "status": "confirmed",
                "role": "adopter",
                "requested_amount": "40000.00",
                "budget_description": "Sensors and field trials",
                "awarded_amount": None,
                "declaration_signed_at": AT,
                "declaration_signed_by_you": True,
            }
        ],
        "versions_you_submitted": [{"number": 2, "submitted_at": AT}],
        "files_you_uploaded": [
            {
                "name": "work-plan.pdf",
                "kind": "pdf",
                "size": 1234,
                "sha256": "c" * 64,
                "uploaded_at": AT,
                "removed_at": None,
            }
        ],
    }
    assert _export(ada)["calls"]["consortium_invitations_to_your_address"] == [
        {
            "application": "DRILLX",
            "lead_organisation": "Beta Drilling AB",
            "status": "invited",
            "invited_at": AT,
        }
    ]


def test_evaluation_section_holds_own_declarations_scores_votes_and_complaints(seeded):
    ada = seeded["ada"]
    deepcore = {"id": seeded["ada"].assignments.get().application_id, "reference": "MTG2-007"}
    deepcore["call"] = "MTG2"
    session = _export(ada)["evaluation"]["committee_votes"][0]["session"]

    assert _export(ada)["evaluation"] == {
        "evaluator_profile": {
            "country": "FI",
            "employer": "Alpha Sorting Oy",
            "keywords": "sorting, sensors",
            "max_proposals": 5,
            "declaration_accepted_at": AT,
            "expertise": [{"kind": "area", "name": "Ore sorting", "weight": "1.00"}],
            "updated_at": AT,
        },
        "evaluator_invitations_accepted": [],
        "assignments": [
            {
                "application": deepcore,
                "state": "scored",
                "assigned_at": AT,
                "conflict_declaration": "no_conflict",
                "declaration_note": "Ada Lindqvist never worked with Beta.",
                "declared_at": AT,
                "scores_submitted_at": AT,
                "scores": [
                    {
                        "criterion": "Excellence",
                        "score": "4.5",
                        "justification": "Clear method.",
                        "updated_at": AT,
                    },
                    {
                        "criterion": "Impact",
                        "score": "4.0",
                        "justification": "Broad uptake.",
                        "updated_at": AT,
                    },
                    {
                        "criterion": "Implementation",
                        "score": "3.5",
                        "justification": "Tight plan.",
                        "updated_at": AT,
                    },
                ],
            }
        ],
        "consensus_as_rapporteur": [
            {
                "application": deepcore,
                "state": "proposed",
                "comment": "Ada's synthesis of both reports.",
                "proposed_at": AT,
                "concluded_at": None,
                "scores": [
                    {"criterion": "Excellence", "score": "3.5", "comment": "Agreed."},
                    {"criterion": "Impact", "score": "3.0", "comment": "Agreed."},
                    {"criterion": "Implementation", "score": "2.5", "comment": "Agreed."},
                ],
            }
        ],
        "consensus_answers": [],
        "committee_attendance": [{"session": session, "recorded_at": AT}],
        "committee_votes": [{"session": session, "choice": "for", "cast_at": AT}],
        "complaints_filed": [
            {
                "application": {
                    "id": _export(ada)["calls"]["applications"][0]["id"],
                    "reference": "MTG1-001",
                    "call": "MTG1",
                },
                "filed_at": AT,
                "grounds": "The work plan was not read.",
                "state": "received",
                "decision": "",
                "decided_at": None,
            }
        ],
    }
    assert session == {"id": session["id"], "call": "MTG2", "meeting_date": "2026-05-04"}


def test_matchmaking_section_holds_profiles_written_messages_and_blocks(seeded):
    ada, alpha, beta, spam = seeded["ada"], seeded["alpha"], seeded["beta"], seeded["spam"]

    assert _export(ada)["matchmaking"] == {
        "partner_profiles": [
            {
                "organisation": {"id": alpha.pk, "name": "Alpha Sorting Oy"},
                "you_are_contact_person": False,
                "status": "draft",
                "summary": "Alpha sorts ore with sensors.",
                "expertise": "",
                "offers": [],
                "requests": [],
                "keywords": [],
                "role_sought": "provider",
                "languages": [],
                "call": None,
                "published_at": None,
                "created_at": AT,
                "updated_at": AT,
            }
        ],
        "expressions_of_interest": [
            {
                "from_organisation": {"id": alpha.pk, "legal_name": "Alpha Sorting Oy"},
                "to_organisation": {"id": beta.pk, "legal_name": "Beta Drilling AB"},
                "sent_by_you": True,
                "answered_by_you": False,
                "message": "Ada would like to drill with Beta.",
                "status": "pending",
                "sent_at": AT,
                "answered_at": None,
            }
        ],
        "blocks": [
            {
                "on_behalf_of": {"id": alpha.pk, "legal_name": "Alpha Sorting Oy"},
                "blocked_organisation": {"id": spam.pk, "legal_name": "Spam Minerals Ltd"},
                "blocked_at": AT,
            }
        ],
    }


def test_vouchers_and_notifications_sections_hold_own_signatures_uploads_and_emails(seeded):
    ada, alpha = seeded["ada"], seeded["alpha"]
    exported = _export(ada)

    assert exported["vouchers"] == {
        "agreements": [
            {
                "agreement_number": "MTG1-001-V",
                "organisation": {"id": alpha.pk, "legal_name": "Alpha Sorting Oy"},
                "share": "40000.00",
                "signed_at": AT,
                "refused_at": None,
                "refusal_reason": "",
            }
        ],
        "deliverables_submitted": [
            {
                "agreement_number": "MTG1-001-V",
                "deliverable": "Trial report",
                "version": 1,
                "file_name": "trial-report.pdf",
                "kind": "pdf",
                "size": 2048,
                "sha256": "f" * 64,
                "uploaded_at": AT,
                "outcome": "returned",
                "reviewer_comments": "Add the sensor logs.",
                "reviewed_at": AT,
            }
        ],
    }
    assert exported["notifications"] == {
        "emails": [
            {
                "to": "ada@alpha.example",
                "subject": "Voucher MTG1-001-V is signed",
                "template": "vouchers/signed",
                "details": {"agreement": "MTG1-001-V"},
                "attachments": ["agreement.pdf"],
                "status": "sent",
                "queued_at": AT,
                "sent_at": AT,
            }
        ]
    }


def test_ledger_section_holds_the_entries_the_person_recorded_with_their_notes(seeded):
    ada = seeded["ada"]
    [entry] = _export(ada)["ledger"]["entries_you_recorded"]
    data = entry.pop("data")

    assert entry == {
        "seq": entry["seq"],
        "at": AT,
        "action": "privacy.test.noted",
        "action_label": "Privacy: test noted",
        "target": {"type": "vouchers.voucher", "id": str(seeded["voucher"].pk)},
        "notes": {"comment": "Ada Lindqvist checked the trial report."},
    }
    assert list(data) == ["notes_sha256"]


def test_nothing_of_the_colleague_or_of_secrets_appears_in_the_export(seeded):
    text = json.dumps(_export(seeded["ada"]))

    for foreign in (
        "bo@alpha.example",
        "Bo Berg",
        "Bo's",
        "Bo finds it vague.",
        "Bo asks Gamma",
        "Bo would score",
        "bo-budget.pdf",
        "bo-trial-report.pdf",
        "Bo, a reminder",
        "Gamma's sorting software",
        "stella@programme.example",
        "Stella Staff",
        "ADA-TOTP-SECRET",
        "a" * 64,
        "private/",
    ):
        assert foreign not in text


def test_the_colleague_gets_their_own_records_not_ada_s(seeded):
    exported = _export(seeded["bo"])

    assert [t["name"] for t in exported["accounts"]["api_tokens"]] == ["Bo's script"]
    assert [d["version"] for d in exported["accounts"]["sme_declarations_signed"]] == [2]
    assert [m["role"] for m in exported["accounts"]["memberships"]] == ["member"]
    [sensort] = exported["calls"]["applications"]
    assert sensort["created_by_you"] is False
    assert sensort["answers"] == [
        {"question": "What problem does the project solve?", "text": "Ore dilution."},
        {"question": "What is the expected impact?", "text": "Less waste rock."},
    ]
    assert sensort["versions_you_submitted"] == [{"number": 1, "submitted_at": AT}]
    assert [f["name"] for f in sensort["files_you_uploaded"]] == ["bo-budget.pdf"]
    assert exported["calls"]["consortium_invitations_to_your_address"] == []
    assert [v["choice"] for v in exported["evaluation"]["committee_votes"]] == ["against"]
    assert exported["evaluation"]["consensus_as_rapporteur"] == []
    assert [
        (a["agreed"], a["comment"], a["answered_at"])
        for a in exported["evaluation"]["consensus_answers"]
    ] == [(False, "Bo would score Impact lower.", AT)]
    assert exported["evaluation"]["evaluator_profile"] is None
    assert [c["grounds"] for c in exported["evaluation"]["complaints_filed"]] == [
        "Bo's own complaint."
    ]
    assert [p["you_are_contact_person"] for p in exported["matchmaking"]["partner_profiles"]] == [
        True
    ]
    assert [i["message"] for i in exported["matchmaking"]["expressions_of_interest"]] == [
        "Bo asks Gamma for software."
    ]
    assert exported["vouchers"]["agreements"] == []
    assert [e["notes"] for e in exported["ledger"]["entries_you_recorded"]] == [
        {"comment": "Bo Berg checked the trial report."}
    ]
    assert [d["file_name"] for d in exported["vouchers"]["deliverables_submitted"]] == [
        "bo-trial-report.pdf"
    ]
    assert [e["subject"] for e in exported["notifications"]["emails"]] == ["Bo, a reminder"]
