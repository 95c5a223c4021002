"""Settings for the test suite: SQLite by default, PostgreSQL and Redis when DATABASE_URL/REDIS_URL say so."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_RATE_LIMITS = False
ALLOWED_HOSTS = ["*"]
# Tasks run in-process in unit tests; the integration tests start a real worker on Redis.
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = Path(env("TEST_MEDIA_ROOT", default=str(BASE_DIR / ".test-media")))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute"}}  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # The ledger's trigger refuses TRUNCATE unless this is on; Django's test runner empties
    # every table (TRUNCATE) after each transactional test.
    DATABASES["default"]["OPTIONS"]["options"] = "-c minegap.ledger_allow_truncate=on"  # noqa: F405
