# MineGap production image: gunicorn serving Django; the same image runs the Celery worker and beat.
# Build: docker compose build   (see README.md, "Production deployment")
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=minegap.settings.production

# WeasyPrint needs Pango (and HarfBuzz's subsetter) plus fonts to render the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 minegap \
    && useradd --system --uid 1000 --gid minegap --home-dir /app --shell /usr/sbin/nologin minegap

WORKDIR /app

# Dependencies first, so that code changes do not reinstall them (pyproject installs no package).
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .

# Static files are collected at build time (whitenoise serves them); the key below is build-only.
RUN SECRET_KEY=collectstatic-only-build-key-not-used-at-runtime-0123456789abcdef \
    ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown -R minegap:minegap /app/media

USER minegap

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-m", "minegap.core.healthcheck"]

CMD ["gunicorn", "minegap.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--timeout", "60", "--access-logfile", "-", "--forwarded-allow-ips", "*", \
     "--limit-request-line", "8190", "--limit-request-fields", "100", \
     "--limit-request-field_size", "8190"]
