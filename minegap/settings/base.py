"""Settings shared by every environment. Values come from the environment first (django-environ)."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-local-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
# What the deployment runs (a commit, an image tag): cached HTML is named after it
# (`minegap.core.release`); empty, a digest of the sources is used.
RELEASE = env("RELEASE", default="")
# True only under minegap.settings.production: what must never run on a real server checks it.
IS_PRODUCTION = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "minegap.core.admin_apps.SecondFactorAdminConfig",  # django.contrib.admin, MFA-gated
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    # Cross-cutting pieces, below every app.
    "minegap.core",
    "minegap.ledger",
    "minegap.notifications",
    "minegap.documents",
    "minegap.privacy",
    # The pipeline: register, match, apply, evaluate, fund, publish.
    "accounts",
    "matchmaking",
    "calls",
    "evaluation",
    "vouchers",
    "mentoring",
    "events",
    "impact",
    "public",
]

MIDDLEWARE = [
    # First: refuses an oversized body before any other middleware reads it.
    "minegap.core.body_limit.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "minegap.core.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "minegap.core.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "minegap.core.middleware.SecondFactorMiddleware",
]

ROOT_URLCONF = "minegap.urls"
WSGI_APPLICATION = "minegap.wsgi.application"
ASGI_APPLICATION = "minegap.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minegap.core.context_processors.navigation",
                # After Django's CSRF processor: a page rendered for the page cache has no token.
                "minegap.core.page_cache.csrf_placeholder",
            ],
        },
    }
]

# Database: an SQLite file by default (the newcomer's `make run`), PostgreSQL when DATABASE_URL says so.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's built-in pool (psycopg 3); persistent connections must stay off with it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = env.bool("DATABASE_POOL", default=True)
    # The statements compiled once per process (`minegap.core.compiled_queries`) are prepared
    # on each connection at their first run (0); the ORM's others are never (client-side
    # binding). Behind a pooler that cannot keep prepared statements (PgBouncer in transaction
    # mode), set DATABASE_PREPARED_STATEMENTS=False.
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 0
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
IS_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's, reading the signed-in person with their roles in one statement.
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English first, every string marked for translation.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fi", _("Finnish")),
    ("pt", _("Portuguese")),
    ("sv", _("Swedish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
# django-filter's empty choice reads "All" (its default is a row of dashes) in every filter form.
FILTERS_EMPTY_CHOICE_LABEL = _("All")
# Dates and numbers follow the active language; English ones day first (minegap/formats/en).
FORMAT_MODULE_PATH = ["minegap.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    # Private files (attachments, PDFs) are served only through permission-checked views.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
# Request bodies: the largest upload is 20 MB (call documents, deliverables, attachments); a body
# larger than MAX_REQUEST_BODY (the upload plus the form around it) is refused with 413 before it
# is read. Form fields other than files may total 2.5 MB; files above 2.5 MB go to a temporary
# file, not memory.
MAX_UPLOAD_MB = 20
MAX_REQUEST_BODY = env.int("MAX_REQUEST_BODY_MB", default=21) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# E-mail: console by default, any SMTP server through EMAIL_URL.
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="MineGap <noreply@minegap.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Reverse proxies in front of the web processes, each appending the address it saw to
# X-Forwarded-For. The client's address (the key of every rate limit, the API's and allauth's)
# is the entry that many places from the right; with 0 it is the connecting address and the
# header, which anyone can write, is ignored.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXIES

# Accounts (django-allauth): e-mail is the login, no username.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Failed log-ins: 10 a minute per client address, 5 per 5 minutes per account *and* address,
# 30 an hour per account from addresses it has not signed in from (accounts.login_limits).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "30/h/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MineGap] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MineGap"
# Sessions: two weeks, renewed on activity, so nobody loses a draft to an idle logout. Renewed
# at most once per SESSION_RENEWAL_SECONDS (minegap.core.middleware.SessionRenewalMiddleware),
# not on every request: an autosave must not write the session too.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# Read from the cache, written through to the database (minegap/core/session_store.py): a
# signed-in request reads its session without a query; sessions survive the loss of Redis. A
# cached copy lives at most SESSION_CACHE_SECONDS (what a deletion Redis missed can outlive).
SESSION_ENGINE = "minegap.core.session_store"
SESSION_CACHE_SECONDS = 5 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEWAL_SECONDS = 60 * 60
# Sessions that hold privileged access (staff, evaluators, committee, past the second factor)
# end after this long without a request, and this long after signing in whatever the activity.
PRIVILEGED_SESSION_IDLE_SECONDS = env.int("PRIVILEGED_SESSION_IDLE_SECONDS", default=60 * 60)
PRIVILEGED_SESSION_MAX_SECONDS = env.int("PRIVILEGED_SESSION_MAX_SECONDS", default=8 * 60 * 60)
# Their idle expiry is renewed (the session written) at most this often, not on every request.
PRIVILEGED_SESSION_RENEWAL_SECONDS = 60
# Signing an agreement, approving a payment or adopting a decision asks for a TOTP code again
# when the last one of the session is older than this (allauth's re-authentication).
ACCOUNT_REAUTHENTICATION_TIMEOUT = 10 * 60

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Expiring, revocable tokens for scripts (DRF's own tokens never expired).
        "accounts.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "minegap.core.api.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_RATE", default="120/minute")},
    "EXCEPTION_HANDLER": "minegap.core.api.exception_handler",
    "NUM_PROXIES": TRUSTED_PROXIES,
}
# API tokens for scripts (accounts.ApiToken): every token expires; the owner picks the lifetime
# up to the maximum. Each use is logged; the log is pruned after the retention period.
API_TOKEN_DEFAULT_DAYS = env.int("API_TOKEN_DEFAULT_DAYS", default=30)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=90)
# The privacy notice's controller (GDPR art. 13); the defaults are a demo's, set them in production.
PRIVACY_CONTROLLER_NAME = env("PRIVACY_CONTROLLER_NAME", default="MineGap demo programme")
PRIVACY_CONTROLLER_ADDRESS = env(
    "PRIVACY_CONTROLLER_ADDRESS", default="Rue de la Démo 1, 1000 Brussels, Belgium"
)
PRIVACY_CONTACT_EMAIL = env("PRIVACY_CONTACT_EMAIL", default="privacy@minegap.example")
PRIVACY_DPO_EMAIL = env("PRIVACY_DPO_EMAIL", default="dpo@minegap.example")
# Personal data retention (GDPR): read by the retention rules and by the privacy notice.
RETENTION_OUTBOX_DAYS = env.int("RETENTION_OUTBOX_DAYS", default=90)
# Records of a funded project: kept this many years after its final payment, fewer for small
# grants (the voucher's amount up to the limit), then their personal data is removed.
RETENTION_FUNDED_PROJECT_YEARS = env.int("RETENTION_FUNDED_PROJECT_YEARS", default=5)
RETENTION_SMALL_GRANT_YEARS = env.int("RETENTION_SMALL_GRANT_YEARS", default=3)
RETENTION_SMALL_GRANT_LIMIT = env.str("RETENTION_SMALL_GRANT_LIMIT", default="60000.00")
# Unsuccessful applications: each call states its period (months after its deadline); this is
# the default a new call gets. Expired invitations (never accepted) go this many days after
# their expiry.
RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS = env.int(
    "RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS", default=24
)
RETENTION_EXPIRED_INVITATION_DAYS = env.int("RETENTION_EXPIRED_INVITATION_DAYS", default=30)
API_TOKEN_USE_RETENTION_DAYS = env.int("API_TOKEN_USE_RETENTION_DAYS", default=180)
# How long the link to a "My data" download works; the file is deleted after (retention rule).
DATA_EXPORT_VALID_DAYS = env.int("DATA_EXPORT_VALID_DAYS", default=7)
SPECTACULAR_SETTINGS = {
    "TITLE": "MineGap API",
    "DESCRIPTION": "Open calls, applications, evaluation, vouchers and open data of MineGap.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a `state`/`status` field; name each enum after its own states.
    "ENUM_NAME_OVERRIDES": {
        "CallStateEnum": "calls.models.CallState",
        "ApplicationStateEnum": "calls.models.ApplicationState",
        "MemberStatusEnum": "calls.models.MemberStatus",
        "AssignmentStateEnum": "evaluation.models.assignment.AssignmentState",
        "ConsensusStateEnum": "evaluation.models.consensus.ConsensusState",
        "VoucherStateEnum": "vouchers.models.agreement.VoucherState",
        "DeliverableStateEnum": "vouchers.models.agreement.DeliverableState",
        "InstalmentStateEnum": "vouchers.models.payments.InstalmentState",
        "PaymentRequestStateEnum": "vouchers.models.payments.PaymentRequestState",
        "EventStateEnum": "events.models.EventState",
        "EventKindEnum": "events.models.EventKind",
        "MeetingRequestStateEnum": "events.models.MeetingRequestState",
        "IndicatorKindEnum": "impact.models.IndicatorKind",
        "ReportingStageEnum": "impact.models.ReportingStage",
    },
}

# Celery: Redis when REDIS_URL is set; otherwise tasks run eagerly, in-process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    # The day-before reminders of events (idempotent: each participant is reminded once).
    "send-event-reminders": {
        "task": "events.tasks.send_event_reminders",
        "schedule": crontab(minute=5),
    },
    "resend-pending-notifications": {
        "task": "minegap.notifications.tasks.send_pending_notifications",
        "schedule": crontab(minute="*"),
    },
    # The clock decides when a call is open; this records "opened"/"closed" in the ledger.
    "sync-call-states": {
        "task": "calls.tasks.sync_call_states",
        "schedule": crontab(minute="*"),
    },
    "prune-api-token-uses": {
        "task": "accounts.tasks.prune_api_token_uses",
        "schedule": crontab(hour=3, minute=17),
    },
    # GDPR: each registered retention rule deletes or pseudonymises what its period ends.
    "apply-retention": {
        "task": "minegap.notifications.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=43),
    },
    # An export asked for while the broker was down (or whose worker died) is started again.
    "restart-waiting-data-exports": {
        "task": "minegap.privacy.tasks.restart_waiting_exports",
        "schedule": crontab(minute="*/5"),
    },
    # Late impact reports: one reminder per beneficiary and stage (idempotent).
    "send-impact-reminders": {
        "task": "impact.tasks.send_impact_reminders",
        "schedule": crontab(hour=7, minute=13),
    },
    "expire-interests": {
        "task": "matchmaking.tasks.expire_interests",
        "schedule": crontab(minute=7),
    },
}

CACHES = {
    "default": (
        {
            # Redis, but an outage is a miss, logged, never an error (minegap/core/cache_backend.py).
            "BACKEND": "minegap.core.cache_backend.OutageTolerantRedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable cache costs a request at most this long, then it goes on without it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Partner search: a search ranks at most this many matches (the newest); ranking cost grows with
# the directory, so a large installation may lower it.
MATCHMAKING_MAX_RANKED_MATCHES = env.int("MATCHMAKING_MAX_RANKED_MATCHES", default=500)

# Content Security Policy: everything is served from this site; no inline scripts.
CSP_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# The API's documentation pages (Swagger UI, ReDoc, vendored by drf-spectacular-sidecar): their
# scripts come from 'self' (Swagger UI's start-up script too, SpectacularSwaggerSplitView), but
# both libraries inject their own style elements and ReDoc renders in a blob: worker.
API_DOCS_CSP_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; worker-src 'self' blob:; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Browser features no page of the platform uses.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
