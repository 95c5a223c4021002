"""What each role gets at each URL: the access matrix's table (tests/access/test_matrix.py).

One row per URL pattern (by its name; the Django admin is one row for all its URLs). The method
is how the URL is asked: GET for pages and API reads, POST or DELETE for URLs that only act.
Classes of answer: ok; login (sent to sign in, or the API's 401/not-authenticated); mfa (sent to
pass or set up the second factor); 403; 404 (outsiders do not learn the object exists); 405 (the
method is not served there); 400; refused (sent back with an error message: the service or the
page said no); redirect (sent on by the page's own flow, with no error).

Columns: anon = not signed in; noorg = signed in, no organisation; other = administrator of
consortium B's lead; member = administrator of consortium A's lead, which every argument names
unless tests/access/arguments.py says otherwise; evalx = an evaluator assigned nothing to evaluate, the mentor of A's voucher; eval =
the evaluator assigned to A's application; comm = a Transparency Committee member; staff =
consortium staff who passed the second factor in this session; nomfa = staff signed in with the
password only (a TOTP is enrolled, this session did not pass it): nothing privileged for them.
"""

from tests.access.table import parse
from tests.access.world import (
    COMPLAINT_GROUNDS,
    INTEREST_FROM_A,
    INTEREST_TO_A,
    MEETING_MESSAGE,
    MEMBER_EMAIL,
    MENTORING_ADVICE,
    OTHER_EMAIL,
    TOKEN_A,
    TOKEN_B,
    private,
)

COLUMNS = {
    "anon": "anonymous",
    "noorg": "no_organisation",
    "other": "other_applicant",
    "member": "member",
    "evalx": "evaluator_other",
    "eval": "evaluator",
    "comm": "committee",
    "nomfa": "staff_no_mfa",
    "staff": "staff",
}

#: The row that stands for every URL of the Django admin (superusers only).
ADMIN = "admin/*"

TABLE = """
pattern                                method anon     noorg    other    member   evalx    eval     comm     nomfa    staff
# allauth: sign-in, e-mail, password and second-factor pages
account_login                          GET    ok       redirect redirect redirect redirect redirect redirect redirect redirect
account_logout                         GET    redirect ok       ok       ok       ok       ok       ok       ok       ok
account_inactive                       GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
account_signup                         GET    ok       redirect redirect redirect redirect redirect redirect redirect redirect
account_reauthenticate                 GET    login    ok       ok       ok       ok       ok       ok       ok       ok
account_request_reauthentication_code  GET    login    mfa      mfa      mfa      mfa      mfa      mfa      mfa      mfa
account_confirm_reauthentication_code  GET    login    mfa      mfa      mfa      mfa      mfa      mfa      mfa      mfa
account_email                          GET    login    ok       ok       ok       ok       ok       ok       ok       ok
account_email_verification_sent        GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
account_change_password                GET    login    ok       ok       ok       ok       ok       ok       ok       ok
account_set_password                   GET    login    redirect redirect redirect redirect redirect redirect redirect redirect
account_reset_password                 GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
account_confirm_login_code             GET    login    redirect redirect redirect redirect redirect redirect redirect redirect
account_confirm_email                  GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
account_reset_password_from_key_done   GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
account_reset_password_from_key        GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
account_reset_password_done            GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
mfa_index                              GET    login    ok       ok       ok       ok       ok       ok       ok       ok
mfa_authenticate                       GET    login    redirect redirect redirect redirect redirect redirect redirect redirect
mfa_reauthenticate                     GET    login    mfa      mfa      mfa      ok       ok       ok       ok       ok
mfa_activate_totp                      GET    login    mfa      mfa      mfa      mfa      mfa      mfa      mfa      mfa
mfa_deactivate_totp                    GET    login    404      404      404      mfa      mfa      mfa      mfa      mfa
mfa_view_recovery_codes                GET    login    404      404      404      404      404      404      404      404
mfa_generate_recovery_codes            GET    login    mfa      mfa      mfa      mfa      mfa      mfa      mfa      mfa
mfa_download_recovery_codes            GET    login    404      404      404      404      404      404      404      404
# the platform's own
healthz                                GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
set_language                           GET    redirect redirect redirect redirect redirect redirect redirect redirect redirect
dashboard                              GET    login    ok       ok       ok       ok       ok       ok       ok       ok
manage                                 GET    redirect redirect redirect redirect redirect redirect redirect redirect redirect
ledger:list                            GET    login    403      403      403      403      403      403      mfa      ok
ledger:export                          GET    login    403      403      403      403      403      403      mfa      ok
ledger:detail                          GET    login    403      403      403      403      403      403      mfa      ok
# API
api-me                                 GET    login    ok       ok       ok       ok       ok       ok       ok       ok
api-organisations                      GET    login    ok       ok       ok       ok       ok       ok       ok       ok
api-partners                           GET    login    ok       ok       ok       ok       ok       ok       ok       ok
api-partners-me                        GET    login    403      ok       ok       403      403      403      403      403
api-partners-me-publish                POST   login    403      400      400      403      403      403      403      403
api-partners-me-unpublish              POST   login    403      ok       ok       403      403      403      403      403
api-partners-recommendations           GET    login    403      ok       ok       403      403      403      403      403
api-partner                            GET    login    ok       ok       ok       ok       ok       ok       ok       ok
api-blocks                             GET    login    403      ok       ok       403      403      403      403      403
api-block                              DELETE login    403      400      ok       403      403      403      403      403
api-interests                          GET    login    403      ok       ok       403      403      403      403      403
api-interest-withdraw                  POST   login    404      404      ok       404      404      404      404      404
api-interest-accept                    POST   login    404      403      ok       404      404      404      404      404
api-interest-invite                    POST   login    403      404      400      403      403      403      403      403
api-interest-decline                   POST   login    404      403      ok       404      404      404      404      404
api-staff-applications                 GET    login    403      403      403      403      403      403      403      ok
api-calls-list                         GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
api-calls-detail                       GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
api-applications-list                  GET    login    ok       ok       ok       ok       ok       ok       ok       ok
api-applications-detail                GET    login    404      404      ok       404      404      404      404      404
api-applications-answers               POST   login    404      404      ok       404      404      404      404      404
api-applications-submit                POST   login    404      404      400      404      404      404      404      404
api-applications-withdraw              POST   login    404      404      400      404      404      404      404      404
api-call-ranking                       GET    login    403      403      403      403      403      ok       403      ok
api-application-results                GET    login    404      404      ok       404      404      404      403      ok
api-evaluator-assignments              GET    login    403      403      403      ok       ok       403      403      403
api-evaluator-assignment               GET    login    403      403      403      404      ok       403      403      403
api-staff-vouchers-list                GET    login    403      403      403      403      403      403      403      ok
api-staff-vouchers-detail              GET    login    403      403      403      403      403      403      403      ok
api-staff-instalments-list             GET    login    403      403      403      403      403      403      403      ok
api-staff-instalments-detail           GET    login    403      403      403      403      403      403      403      ok
api-staff-payments-list                GET    login    403      403      403      403      403      403      403      ok
api-staff-payments-detail              GET    login    403      403      403      403      403      403      403      ok
api-my-vouchers-list                   GET    login    ok       ok       ok       ok       ok       ok       ok       ok
api-my-vouchers-detail                 GET    login    404      404      ok       404      404      404      404      404
api-public-stats                       GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
api-public-calls                       GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
api-public-projects                    GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
api-public-beneficiaries               GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
schema                                 GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
api-docs                               GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
api-redoc                              GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
# accounts
accounts:organisations                 GET    login    ok       ok       ok       ok       ok       ok       ok       ok
accounts:organisation-create           GET    login    ok       ok       ok       ok       ok       ok       ok       ok
accounts:organisation-detail           GET    login    403      403      ok       403      403      403      mfa      ok
accounts:organisation-edit             GET    login    403      403      ok       403      403      403      mfa      403
accounts:invitation-create             GET    login    403      403      ok       403      403      403      mfa      403
accounts:invitation-revoke             POST   login    403      403      redirect 403      403      403      mfa      403
accounts:membership-role               POST   login    403      403      redirect 403      403      403      mfa      403
accounts:membership-remove             GET    login    403      403      ok       403      403      403      mfa      403
accounts:sme-declarations              GET    login    403      403      ok       403      403      403      mfa      ok
accounts:sme-declaration-create        GET    login    403      403      ok       403      403      403      mfa      403
accounts:sme-declaration-detail        GET    login    403      403      ok       403      403      403      mfa      ok
accounts:api-tokens                    GET    login    ok       ok       ok       ok       ok       ok       ok       ok
accounts:api-token-revoke              GET    login    404      404      ok       404      404      404      404      404
accounts:erasure-request                GET    login    ok       ok       ok       ok       ok       ok       ok       ok
accounts:erasure-requests               GET    login    403      403      403      403      403      403      mfa      ok
accounts:invitation-accept             GET    login    ok       ok       ok       ok       ok       ok       ok       ok
# "My data": the person's own exports; anyone else's is not found
privacy:my-data                        GET    login    ok       ok       ok       ok       ok       ok       ok       ok
privacy:export-progress                GET    login    404      404      ok       404      404      404      404      404
privacy:export-download                GET    login    404      404      ok       404      404      404      404      404
# matchmaking
matchmaking:directory                  GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
matchmaking:for-you                    GET    login    ok       ok       ok       ok       ok       ok       ok       ok
matchmaking:profile                    GET    login    ok       ok       ok       ok       ok       ok       ok       ok
matchmaking:send-interest              POST   login    refused  refused  refused  refused  refused  refused  refused  refused
matchmaking:block                      GET    login    403      ok       ok       403      403      403      mfa      403
matchmaking:unblock                    GET    login    403      ok       ok       403      403      403      mfa      403
matchmaking:my-profile                 GET    login    redirect ok       ok       redirect redirect redirect redirect redirect
matchmaking:publish                    POST   login    refused  refused  refused  refused  refused  refused  refused  refused
matchmaking:unpublish                  POST   login    refused  redirect redirect refused  refused  refused  refused  refused
matchmaking:interests                  GET    login    redirect ok       ok       redirect redirect redirect redirect redirect
matchmaking:accept                     GET    login    403      403      ok       403      403      403      mfa      403
matchmaking:invite                     POST   login    refused  refused  refused  refused  refused  refused  refused  refused
matchmaking:withdraw                   POST   login    403      403      redirect 403      403      403      mfa      403
matchmaking:decline                    GET    login    403      403      ok       403      403      403      mfa      403
# calls
calls:public-list                      GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
calls:public-detail                    GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
calls:document                         GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
calls:manage-list                      GET    login    403      403      403      403      403      403      mfa      ok
calls:manage-create                    GET    login    403      403      403      403      403      403      mfa      ok
calls:manage-detail                    GET    login    403      403      403      403      403      403      mfa      ok
calls:manage-edit                      GET    login    403      403      403      403      403      403      mfa      ok
calls:manage-publish                   POST   login    403      403      403      403      403      403      mfa      400
calls:manage-extend                    POST   login    403      403      403      403      403      403      mfa      400
calls:manage-document-add              POST   login    403      403      403      403      403      403      mfa      400
calls:manage-document-remove           POST   login    403      403      403      403      403      403      mfa      redirect
calls:manage-applications              GET    login    403      403      403      403      403      403      mfa      ok
calls:manage-items                     GET    login    403      403      403      403      403      403      mfa      ok
calls:apply-dashboard                  GET    login    ok       ok       ok       ok       ok       ok       ok       ok
calls:apply-start                      GET    login    ok       ok       ok       ok       ok       ok       ok       ok
calls:invitation                       GET    login    404      404      ok       404      404      404      404      404
calls:apply-home                       GET    login    404      404      redirect 404      404      404      mfa      redirect
calls:apply-submit                     POST   login    404      404      refused  404      404      404      mfa      refused
calls:apply-budget-check               GET    login    404      404      ok       404      404      404      mfa      ok
calls:apply-withdraw                   GET    login    404      404      ok       404      404      404      mfa      ok
calls:apply-autosave                   POST   login    404      404      ok       404      404      404      mfa      403
calls:attachment                       GET    login    404      404      ok       404      404      404      mfa      ok
calls:receipt                          GET    login    404      404      ok       404      404      404      mfa      ok
calls:apply-step                       GET    login    404      404      ok       404      404      404      mfa      ok
# evaluation
evaluation:eligibility                 GET    login    403      403      403      403      403      403      mfa      ok
evaluation:eligibility-detail          GET    login    403      403      403      403      403      403      mfa      ok
evaluation:evaluator-pool              GET    login    403      403      403      403      403      403      mfa      ok
evaluation:assignments                 GET    login    403      403      403      403      403      403      mfa      ok
evaluation:assignment-run              GET    login    403      403      403      403      403      403      mfa      ok
evaluation:assignment-settings         POST   login    403      403      403      403      403      403      mfa      redirect
evaluation:assignment-add              POST   login    403      403      403      403      403      403      mfa      refused
evaluation:assignment-remove           POST   login    403      403      403      403      403      403      mfa      refused
evaluation:scores-reopen               POST   login    403      403      403      403      403      403      mfa      refused
evaluation:scores                      GET    login    403      403      403      403      403      403      mfa      ok
evaluation:ranking                     GET    login    403      403      403      403      403      ok       mfa      ok
evaluation:ranking-csv                 GET    login    403      403      403      403      403      ok       mfa      ok
evaluation:ranking-pending             GET    login    403      403      403      403      403      ok       mfa      ok
evaluation:results-publication         GET    login    403      403      403      403      403      403      mfa      ok
evaluation:complaints                  GET    login    403      403      403      403      403      403      mfa      ok
evaluation:complaint-detail            GET    login    403      403      403      403      403      403      mfa      ok
evaluation:applicant-results           GET    login    404      404      ok       404      404      404      mfa      ok
evaluation:esr-download                GET    login    404      404      ok       404      404      404      mfa      ok
evaluation:complaint-file              GET    login    404      404      ok       404      404      404      mfa      403
evaluation:committee                   GET    login    403      403      403      403      403      ok       mfa      ok
evaluation:committee-open              POST   login    403      403      403      403      403      403      mfa      refused
evaluation:committee-vacate            GET    login    403      403      403      403      403      403      mfa      ok
evaluation:committee-session           GET    login    403      403      403      403      403      ok       mfa      ok
evaluation:committee-attendance        POST   login    403      403      403      403      403      403      mfa      refused
evaluation:committee-propose           POST   login    403      403      403      403      403      refused  mfa      refused
evaluation:committee-voting            POST   login    403      403      403      403      403      refused  mfa      refused
evaluation:committee-vote              POST   login    403      403      403      403      403      refused  mfa      403
evaluation:committee-minutes           GET    login    403      403      403      403      403      ok       mfa      ok
evaluation:evaluator-home              GET    login    403      403      403      ok       ok       403      mfa      403
evaluation:join                        GET    login    ok       ok       ok       ok       ok       ok       ok       ok
evaluation:declaration                 GET    login    403      403      403      ok       ok       403      mfa      403
evaluation:profile                     GET    login    403      403      403      ok       ok       403      mfa      403
evaluation:assignment                  GET    login    403      403      403      404      ok       403      mfa      403
evaluation:assignment-file             GET    404      404      404      404      404      ok       404      404      404
# vouchers
vouchers:manage-home                   GET    login    403      403      403      403      403      403      mfa      ok
vouchers:manage-payments               GET    login    403      403      403      403      403      403      mfa      ok
vouchers:manage-export                 GET    login    403      403      403      403      403      403      mfa      ok
vouchers:manage-call                   GET    login    403      403      403      403      403      403      mfa      ok
vouchers:manage-services               GET    login    403      403      403      403      403      403      mfa      ok
vouchers:manage-voucher                GET    login    403      403      403      403      403      403      mfa      ok
vouchers:manage-file                   GET    login    403      403      403      403      403      403      mfa      ok
vouchers:manage-agreement              GET    login    403      403      403      403      403      403      mfa      ok
vouchers:manage-statement              GET    login    403      403      403      403      403      403      mfa      ok
vouchers:manage-action                 POST   login    403      403      403      403      403      403      mfa      400
vouchers:manage-action-on              POST   login    403      403      403      403      403      403      mfa      400
vouchers:my-vouchers                   GET    login    ok       ok       ok       ok       ok       ok       ok       ok
vouchers:my-voucher                    GET    login    404      404      ok       404      404      404      404      404
vouchers:my-agreement                  GET    login    404      404      ok       404      404      404      404      404
vouchers:my-statement                  GET    login    404      404      ok       404      404      404      404      404
vouchers:sign                          GET    login    404      404      ok       404      404      404      404      404
vouchers:refuse                        GET    login    404      404      ok       404      404      404      404      404
vouchers:upload                        POST   login    404      404      400      404      404      404      404      404
vouchers:file                          GET    login    404      404      ok       404      404      404      404      404
# mentoring (evalx mentors A's voucher)
mentoring:manage-home                  GET    login    403      403      403      403      403      403      mfa      ok
mentoring:manage-call                  GET    login    403      403      403      403      403      403      mfa      ok
mentoring:manage-voucher               GET    login    403      403      403      403      403      403      mfa      ok
mentoring:manage-assign                POST   login    403      403      403      403      403      403      mfa      400
mentoring:manage-end                   POST   login    403      403      403      403      403      403      mfa      400
mentoring:mentor-home                  GET    login    403      403      403      ok       ok       403      mfa      ok
mentoring:declare                      GET    login    404      404      404      redirect 404      404      404      404
mentoring:mentor-project               GET    login    404      404      404      ok       404      404      404      404
mentoring:record-meeting               POST   login    404      404      404      400      404      404      404      404
mentoring:report                       GET    login    404      404      404      ok       404      404      404      404
mentoring:my-mentoring                 GET    login    404      404      ok       404      404      404      404      404
# public
public:home                            GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
public:projects                        GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
public:project-detail                  GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
public:deliverable-file                GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
public:beneficiaries                   GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
public:figures                         GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
public:impact                          GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
public:decisions                       GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
public:decision-document               GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
public:open-data                       GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
public:privacy                         GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
# events
events:list                            GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
events:csv                             GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
events:detail                          GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
events:material                        GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
events:manage-list                     GET    login    403      403      403      403      403      403      mfa      ok
events:create                          GET    login    403      403      403      403      403      403      mfa      ok
events:manage-detail                   GET    login    403      403      403      403      403      403      mfa      ok
events:edit                            GET    login    403      403      403      403      403      403      mfa      ok
events:publish                         POST   login    403      403      403      403      403      403      mfa      refused
events:cancel                          POST   login    403      403      403      403      403      403      mfa      redirect
events:add-material                    POST   login    403      403      403      403      403      403      mfa      400
events:register                        POST   login    redirect redirect refused  redirect redirect redirect redirect redirect
events:unregister                      POST   login    404      404      redirect 404      404      404      404      404
events:calendar                        GET    login    404      404      ok       404      404      404      404      404
events:certificate                     GET    login    404      404      404      404      404      404      404      404
events:attendance                      POST   login    403      403      403      403      403      403      mfa      refused
events:brokerage-directory             GET    login    403      ok       ok       403      403      403      mfa      ok
events:brokerage-request               GET    login    403      404      ok       403      403      403      mfa      403
events:brokerage-requests              GET    login    403      ok       ok       403      403      403      mfa      403
events:brokerage-answer                GET    login    403      404      ok       403      403      403      mfa      403
events:brokerage-profile               GET    login    403      ok       ok       403      403      403      mfa      403
events:brokerage-availability          GET    login    403      ok       ok       403      403      403      mfa      403
events:brokerage-settings              GET    login    403      403      403      403      403      403      mfa      ok
events:brokerage-schedule              POST   login    403      403      403      403      403      403      mfa      redirect
api-brokerage-requests                 GET    login    403      ok       ok       403      403      403      403      403
api-brokerage-meetings                 GET    login    403      ok       ok       403      403      403      403      403
api-public-impact                      GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
events:agenda                          GET    login    404      ok       ok       404      404      404      404      404
events:agenda-ics                      GET    login    404      ok       ok       404      404      404      404      404
events:agenda-pdf                      GET    login    404      ok       ok       404      404      404      404      404
events:meeting-outcome                 POST   login    404      refused  refused  404      404      404      404      404
events:meeting-application             POST   login    404      redirect redirect 404      404      404      404      404
events:grid                            GET    login    403      403      403      403      403      403      mfa      ok
events:meeting-move                    POST   login    403      403      403      403      403      403      mfa      refused
api-public-events                      GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
api-public-event-figures               GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
api-public-event-detail                GET    ok       ok       ok       ok       ok       ok       ok       ok       ok
# impact
impact:manage-call                     GET    login    403      403      403      403      403      403      mfa      ok
impact:presets                         POST   login    403      403      403      403      403      403      mfa      400
impact:indicator-create                GET    login    403      403      403      403      403      403      mfa      ok
impact:completion                      GET    login    403      403      403      403      403      403      mfa      ok
impact:export                          GET    login    403      403      403      403      403      403      mfa      ok
impact:indicator-edit                  GET    login    403      403      403      403      403      403      mfa      ok
impact:indicator-remove                POST   login    403      403      403      403      403      403      mfa      refused
impact:report-detail                   GET    login    403      403      403      403      403      403      mfa      ok
impact:report-reopen                   POST   login    403      403      403      403      403      403      mfa      400
impact:my-reports                      GET    login    ok       ok       ok       ok       ok       ok       ok       ok
impact:report                          GET    login    404      404      ok       404      404      404      404      404
# the Django admin: superusers only (no role of the matrix is one); its sign-in is allauth's
admin/*                                GET    login    login    login    login    login    login    login    login    login
admin:login                            GET    login    403      403      403      403      403      403      mfa      403
admin:logout                           GET    redirect redirect redirect redirect redirect redirect redirect redirect redirect
"""

ROWS = parse(TABLE, COLUMNS)

#: Admin URLs a refused write is tried on (the admin refuses every one of them the same way).
ADMIN_WRITES = ("admin:index", "admin:accounts_user_add", "admin:accounts_user_change")

#: Tables a refused request may write to: the session of the person asking.
UNCOUNTED_TABLES = ("django_session",)

#: Texts only some roles may read, wherever they look (every page and API answer is searched).
PRIVATE_TEXTS: dict[str, tuple[str, ...]] = {
    private("ALPHAPRJ"): ("member", "evaluator", "staff"),
    private("ALPHADRAFT"): ("member", "staff"),
    private("BETAPRJ"): ("other_applicant", "staff"),
    COMPLAINT_GROUNDS: ("member", "staff"),
    # The assigned evaluator's name: never to applicants, nor to other evaluators.
    "Eva Assigned": ("evaluator", "committee", "staff"),
    # The consortium's contact: to its mentor too (mentoring shares contacts both ways).
    MEMBER_EMAIL: ("member", "evaluator_other", "staff"),
    MENTORING_ADVICE: ("member", "evaluator_other", "staff"),
    OTHER_EMAIL: ("other_applicant", "staff"),
    MEETING_MESSAGE: ("member", "other_applicant"),
}

#: List pages and API lists, and which seeded objects (keys of World.ids) each role finds there.
#: A page's objects are found by their texts (markers); an API list's by the ids it returns.
APPLICATIONS = {
    "application": "ALPHAPRJ",
    "draft": "ALPHADRAFT",
    "application_b": "BETAPRJ",
    "draft_b": "BETADRAFT",
    "ineligible": "GAMMAPRJ",
}
LISTS: dict[str, tuple[dict[str, str] | None, dict[str, tuple[str, ...]]]] = {
    # The member's organisation is invited into B's draft: it sees that draft, not B's project.
    "calls:apply-dashboard": (
        APPLICATIONS,
        {
            "member": ("application", "draft", "draft_b"),
            "other_applicant": ("application_b", "draft_b"),
        },
    ),
    "api-applications-list": (
        None,
        {
            "member": ("application", "draft", "draft_b"),
            "other_applicant": ("application_b", "draft_b"),
        },
    ),
    "vouchers:my-vouchers": (
        {"voucher": "ALPHAPRJ", "voucher_b": "BETAPRJ"},
        {"member": ("voucher",), "other_applicant": ("voucher_b",)},
    ),
    "api-my-vouchers-list": (None, {"member": ("voucher",), "other_applicant": ("voucher_b",)}),
    "api-staff-vouchers-list": (None, {"staff": ("voucher", "voucher_b")}),
    "accounts:organisations": (
        {"organisation": "Alpha Sorting Oy", "organisation_b": "Beta Drilling AB"},
        {"member": ("organisation",), "other_applicant": ("organisation_b",)},
    ),
    "accounts:api-tokens": (
        {"api_token": TOKEN_A, "api_token_b": TOKEN_B},
        {"member": ("api_token",), "other_applicant": ("api_token_b",)},
    ),
    "api-organisations": (
        None,
        {"member": ("organisation",), "other_applicant": ("organisation_b",)},
    ),
    "matchmaking:interests": (
        {"interest_to_a": INTEREST_TO_A, "interest_from_a": INTEREST_FROM_A},
        {"member": ("interest_to_a", "interest_from_a"), "other_applicant": ("interest_to_a",)},
    ),
    "api-interests": (
        None,
        {"member": ("interest_to_a", "interest_from_a"), "other_applicant": ("interest_to_a",)},
    ),
    "evaluation:evaluator-home": ({"assignment": "ALPHAPRJ"}, {"evaluator": ("assignment",)}),
    "api-evaluator-assignments": (None, {"evaluator": ("assignment",)}),
}

#: Who may read a URL but must not write there (a POST sent there by them writes nothing).
READ_ONLY: dict[str, tuple[str, ...]] = {
    # Staff read applicants' pages (with the second factor) but never act for them.
    "calls:apply-step": ("staff",),
    "calls:apply-withdraw": ("staff",),
    "calls:apply-budget-check": ("staff",),
    "accounts:organisation-detail": ("staff",),
    "accounts:sme-declarations": ("staff",),
    "accounts:sme-declaration-detail": ("staff",),
    "evaluation:applicant-results": ("staff",),
    # The committee reads the ranking and the sessions; staff run them.
    "evaluation:ranking": ("committee",),
    "evaluation:ranking-csv": ("committee",),
    "evaluation:ranking-pending": ("committee",),
    "evaluation:committee-session": ("committee",),
    # Anyone may read a partner's profile; only its organisation changes it.
    "matchmaking:profile": (
        "no_organisation",
        "evaluator_other",
        "evaluator",
        "committee",
        "staff",
    ),
    "api-partner": ("no_organisation", "other_applicant", "member", "evaluator", "staff"),
}
