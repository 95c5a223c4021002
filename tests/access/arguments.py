"""Which object of the seeded world (tests/access/world.py) each URL's arguments name.

A value is a key of ``World.ids``; ``Literal`` wraps a value used as it is. Unless said
otherwise an object belongs to consortium A, the ``member``'s: the roles outside it show
whether they can reach what is not theirs.
"""


class Literal(str):
    """An argument given as it is, not looked up in the world."""


ARGUMENTS: dict[str, dict[str, str]] = {
    # allauth: keys no one was sent (the pages must answer, whoever asks).
    "account_confirm_email": {"key": Literal("not-a-key")},
    "account_reset_password_from_key": {"uidb36": Literal("1"), "key": Literal("not-a-key")},
    # The ledger.
    "ledger:detail": {"seq": "ledger_seq"},
    # The API.
    "api-partner": {"pk": "profile"},
    "api-block": {"organisation_id": "blocked"},
    "api-interest-withdraw": {"pk": "interest_from_a"},
    "api-interest-accept": {"pk": "interest_to_a"},
    "api-interest-invite": {"pk": "interest_to_a"},
    "api-interest-decline": {"pk": "interest_to_a"},
    "api-staff-applications": {"slug": "call_slug"},
    "api-calls-detail": {"slug": "call_slug"},
    "api-applications-detail": {"pk": "application"},
    "api-applications-answers": {"pk": "draft"},
    "api-applications-submit": {"pk": "draft"},
    "api-applications-withdraw": {"pk": "draft"},
    "api-call-ranking": {"slug": "call_slug"},
    "api-application-results": {"pk": "application"},
    "api-evaluator-assignment": {"pk": "assignment"},
    "api-staff-vouchers-detail": {"pk": "voucher"},
    "api-staff-instalments-detail": {"pk": "instalment"},
    "api-staff-payments-detail": {"pk": "payment_request"},
    "api-my-vouchers-detail": {"pk": "voucher"},
    # accounts
    "accounts:organisation-detail": {"pk": "organisation"},
    "accounts:organisation-edit": {"pk": "organisation"},
    "accounts:invitation-create": {"pk": "organisation"},
    "accounts:invitation-revoke": {"pk": "organisation", "invitation_pk": "invitation"},
    "accounts:membership-role": {"pk": "organisation", "membership_pk": "membership"},
    "accounts:membership-remove": {"pk": "organisation", "membership_pk": "membership"},
    "accounts:sme-declarations": {"pk": "organisation"},
    "accounts:sme-declaration-create": {"pk": "organisation"},
    "accounts:sme-declaration-detail": {"pk": "organisation", "version": "sme_version"},
    "accounts:invitation-accept": {"token": "invitation_token"},
    "accounts:api-token-revoke": {"pk": "api_token"},
    # "My data": the member's export.
    "privacy:export-progress": {"pk": "data_export"},
    "privacy:export-download": {"pk": "data_export"},
    # events: a published, upcoming info day.
    "events:detail": {"pk": "event"},
    "events:manage-detail": {"pk": "event"},
    "events:edit": {"pk": "event"},
    "events:publish": {"pk": "event"},
    "events:cancel": {"pk": "event"},
    "events:add-material": {"pk": "event"},
    "events:register": {"pk": "event"},
    "events:unregister": {"pk": "event"},
    "events:calendar": {"pk": "event"},
    "events:certificate": {"pk": "event"},
    "events:material": {"pk": "past_event", "material_pk": "event_material"},
    # The brokerage event: A's and B's administrators (member, other) have a meeting there.
    "events:agenda": {"pk": "fair_event"},
    "events:agenda-ics": {"pk": "fair_event"},
    "events:agenda-pdf": {"pk": "fair_event"},
    "events:meeting-outcome": {"pk": "fair_event", "request_pk": "fair_request"},
    "events:meeting-application": {"pk": "fair_event", "request_pk": "fair_request"},
    "events:grid": {"pk": "fair_event"},
    "events:meeting-move": {"pk": "fair_event"},
    "events:attendance": {"pk": "event", "registration_pk": "event_registration"},
    # brokerage: the published brokerage event where A and B take part; B asked A to meet.
    "events:brokerage-directory": {"pk": "brokerage_event"},
    "events:brokerage-request": {
        "pk": "brokerage_event",
        "registration_pk": "brokerage_registration_b",
    },
    "events:brokerage-requests": {"pk": "brokerage_event"},
    "events:brokerage-answer": {
        "pk": "brokerage_event",
        "request_pk": "meeting_request",
        "action": Literal("accept"),
    },
    "events:brokerage-profile": {"pk": "brokerage_event"},
    "events:brokerage-availability": {"pk": "brokerage_event"},
    "api-brokerage-requests": {"pk": "brokerage_event"},
    "api-brokerage-meetings": {"pk": "brokerage_event"},
    "events:brokerage-settings": {"pk": "brokerage_event"},
    "events:brokerage-schedule": {"pk": "brokerage_event"},
    "api-public-event-detail": {"pk": "event"},
    # impact: the decided call's indicators; A's lead share and its baseline report.
    "impact:manage-call": {"slug": "call_slug"},
    "impact:presets": {"slug": "call_slug"},
    "impact:indicator-create": {"slug": "call_slug"},
    "impact:completion": {"slug": "call_slug"},
    "impact:export": {"slug": "call_slug", "fmt": Literal("xlsx")},
    "impact:indicator-edit": {"pk": "indicator"},
    "impact:indicator-remove": {"pk": "indicator"},
    "impact:report-detail": {"pk": "impact_report"},
    "impact:report-reopen": {"pk": "impact_report"},
    "impact:report": {"share_pk": "share", "stage": Literal("final")},
    # matchmaking: `profile` is B's published profile, which A may write to.
    "matchmaking:profile": {"pk": "profile"},
    "matchmaking:send-interest": {"pk": "profile"},
    "matchmaking:block": {"pk": "profile"},
    "matchmaking:unblock": {"pk": "profile"},
    "matchmaking:accept": {"pk": "interest_to_a"},
    "matchmaking:invite": {"pk": "interest_to_a"},
    "matchmaking:withdraw": {"pk": "interest_from_a"},
    "matchmaking:decline": {"pk": "interest_to_a"},
    # calls: the decided call and A's submitted application; the wizard on A's draft.
    "calls:public-detail": {"slug": "call_slug"},
    "calls:document": {"slug": "open_call_slug", "document_id": "document"},
    "calls:manage-detail": {"slug": "call_slug"},
    "calls:manage-edit": {"slug": "open_call_slug"},
    "calls:manage-publish": {"slug": "open_call_slug"},
    "calls:manage-extend": {"slug": "open_call_slug"},
    "calls:manage-document-add": {"slug": "open_call_slug"},
    "calls:manage-document-remove": {"slug": "open_call_slug", "document_id": "document"},
    "calls:manage-applications": {"slug": "call_slug"},
    "calls:manage-items": {"slug": "open_call_slug", "kind": Literal("criteria")},
    "calls:apply-start": {"slug": "open_call_slug"},
    "calls:invitation": {"pk": "consortium_invitation"},
    "calls:apply-home": {"pk": "draft"},
    "calls:apply-submit": {"pk": "draft"},
    "calls:apply-budget-check": {"pk": "draft"},
    "calls:apply-withdraw": {"pk": "draft"},
    "calls:apply-autosave": {"pk": "draft", "question_id": "question"},
    "calls:attachment": {"pk": "application", "attachment_id": "attachment"},
    "calls:receipt": {"pk": "application", "number": "receipt"},
    "calls:apply-step": {"pk": "draft", "step": Literal("overview")},
    # evaluation
    "evaluation:eligibility": {"slug": "call_slug"},
    "evaluation:eligibility-detail": {"slug": "call_slug", "pk": "ineligible"},
    "evaluation:assignments": {"slug": "call_slug"},
    "evaluation:assignment-run": {"slug": "call_slug", "pk": "assignment_run"},
    "evaluation:assignment-settings": {"slug": "call_slug"},
    "evaluation:assignment-add": {"slug": "call_slug"},
    "evaluation:assignment-remove": {"slug": "call_slug", "pk": "assignment"},
    "evaluation:scores-reopen": {"slug": "call_slug", "pk": "assignment"},
    "evaluation:scores": {"slug": "call_slug"},
    "evaluation:ranking": {"slug": "call_slug"},
    "evaluation:ranking-csv": {"slug": "call_slug"},
    "evaluation:ranking-pending": {"slug": "call_slug"},
    "evaluation:results-publication": {"slug": "call_slug"},
    "evaluation:complaint-detail": {"pk": "complaint"},
    "evaluation:applicant-results": {"pk": "application"},
    "evaluation:esr-download": {"pk": "application"},
    "evaluation:complaint-file": {"pk": "application"},
    "evaluation:committee-open": {"slug": "call_slug"},
    "evaluation:committee-vacate": {"slug": "call_slug"},
    "evaluation:committee-session": {"pk": "session"},
    "evaluation:committee-attendance": {"pk": "session"},
    "evaluation:committee-propose": {"pk": "session", "entry_id": "entry"},
    "evaluation:committee-voting": {"pk": "session"},
    "evaluation:committee-vote": {"pk": "session"},
    "evaluation:committee-minutes": {"pk": "session"},
    "evaluation:join": {"token": "join_token"},
    "evaluation:assignment": {"pk": "assignment"},
    "evaluation:assignment-file": {"pk": "assignment", "attachment_id": "attachment"},
    # vouchers
    "vouchers:manage-export": {"kind": Literal("payments"), "fmt": Literal("csv")},
    "vouchers:manage-call": {"slug": "call_slug"},
    "vouchers:manage-services": {"slug": "call_slug"},
    "vouchers:manage-voucher": {"pk": "voucher"},
    "vouchers:manage-file": {"pk": "voucher", "version_pk": "version"},
    "vouchers:manage-agreement": {"pk": "voucher"},
    "vouchers:manage-statement": {"pk": "voucher", "share_pk": "share"},
    "vouchers:manage-action": {"pk": "voucher", "action": Literal("complete")},
    "vouchers:manage-action-on": {
        "pk": "voucher",
        "action": Literal("approve"),
        "target": "payment_request",
    },
    "vouchers:my-voucher": {"pk": "voucher"},
    "vouchers:my-agreement": {"pk": "voucher"},
    "vouchers:my-statement": {"pk": "voucher", "share_pk": "share"},
    "vouchers:sign": {"pk": "voucher", "share_pk": "share"},
    "vouchers:refuse": {"pk": "voucher", "share_pk": "share"},
    "vouchers:upload": {"pk": "voucher", "deliverable_pk": "deliverable"},
    "vouchers:file": {"pk": "voucher", "version_pk": "version"},
    # mentoring
    "mentoring:manage-call": {"slug": "call_slug"},
    "mentoring:manage-voucher": {"pk": "voucher"},
    "mentoring:manage-assign": {"pk": "voucher"},
    "mentoring:manage-end": {"pk": "voucher"},
    "mentoring:declare": {"pk": "mentor_assignment"},
    "mentoring:mentor-project": {"pk": "mentor_assignment"},
    "mentoring:record-meeting": {"pk": "mentor_assignment"},
    "mentoring:report": {"pk": "mentor_assignment", "milestone_pk": "milestone"},
    "mentoring:my-mentoring": {"pk": "voucher"},
    # public
    "public:project-detail": {"pk": "application"},
    "public:deliverable-file": {"pk": "application", "version_pk": "version"},
    "public:decision-document": {"slug": "call_slug"},
}

#: URLs naming two objects, asked by the person who may see the first with the second swapped
#: for the other consortium's (role, {argument: key of World.ids}): each answers 404.
SWAPPED: dict[str, tuple[str, dict[str, str]]] = {
    "accounts:membership-role": ("member", {"membership_pk": "membership_b"}),
    "accounts:membership-remove": ("member", {"membership_pk": "membership_b"}),
    "calls:attachment": ("member", {"attachment_id": "attachment_b"}),
    "evaluation:assignment-file": ("evaluator", {"attachment_id": "attachment_b"}),
    "vouchers:my-statement": ("member", {"share_pk": "share_b"}),
    "vouchers:sign": ("member", {"share_pk": "share_b"}),
    "vouchers:refuse": ("member", {"share_pk": "share_b"}),
    "vouchers:upload": ("member", {"deliverable_pk": "deliverable_b"}),
    "vouchers:file": ("member", {"version_pk": "version_b"}),
    "vouchers:manage-file": ("staff", {"version_pk": "version_b"}),
    "vouchers:manage-statement": ("staff", {"share_pk": "share_b"}),
    "public:deliverable-file": ("anonymous", {"version_pk": "version_b"}),
    "mentoring:report": ("evaluator_other", {"milestone_pk": "milestone_b"}),
}

#: The Django admin is one row of the table; its URLs are filled with these.
ADMIN_ARGUMENTS = {
    "object_id": Literal("1"),
    "id": Literal("1"),
    "app_label": Literal("accounts"),
    "content_type_id": Literal("1"),
    "url": Literal("no-such-page/"),
}


def arguments_for(key: str, route: str, names: tuple[str, ...], ids: dict) -> dict:
    spec = ADMIN_ARGUMENTS if route.startswith("admin/") else ARGUMENTS.get(key, {})
    missing = [name for name in names if name not in spec]
    assert not missing, (
        f"{key} takes {', '.join(missing)}: say which object of the seeded world it names in "
        "tests/access/arguments.py (ARGUMENTS)"
    )
    return {
        name: spec[name] if isinstance(spec[name], Literal) else ids[spec[name]] for name in names
    }


#: JSON bodies of the API's writes (keys of World.ids, or Literal): complete enough that only
#: the permission can refuse them.
API_PAYLOADS: dict[str, dict[str, str]] = {
    "api-organisations": {
        "legal_name": Literal("Matrix Minerals Oy"),
        "country": Literal("FI"),
        "vat_number": Literal("FI99999999"),
    },
    "api-partners-me": {"summary": Literal("A new summary."), "role_sought": Literal("provider")},
    "api-blocks": {"blocked": "organisation_b"},
    "api-interests": {"receiver": "organisation_b", "message": Literal("Shall we talk?")},
    "api-interest-invite": {"application": "draft"},
    "api-applications-list": {"call": "open_call_slug", "organisation": "organisation"},
    "api-applications-detail": {"title": Literal("Renamed"), "acronym": Literal("RENAMED")},
    "api-applications-answers": {"question": "question", "text": Literal("Rewritten.")},
}


#: Bodies of page forms the seeded world's state does not show (a vote once voting has closed).
FORM_PAYLOADS: dict[str, dict[str, str]] = {
    "evaluation:committee-vote": {"choice": Literal("for")},
}


def payload(key: str, ids: dict, *, api: bool) -> dict:
    spec = (API_PAYLOADS if api else FORM_PAYLOADS).get(key, {})
    return {name: v if isinstance(v, Literal) else ids[v] for name, v in spec.items()}
