"""Production settings refuse to start half-configured and pass Django's deployment checklist."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run Python in a clean environment: only what the test gives, no DATABASE_URL leaking in."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(ROOT), **env}
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def random_secret(length: int = 60) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


IMPORT = ["-c", "import minegap.settings.production"]


def test_production_refuses_to_start_without_secret_key():
    result = run(IMPORT, ALLOWED_HOSTS="example.org")

    assert result.returncode == 1
    assert (
        "ImproperlyConfigured: Production needs SECRET_KEY and ALLOWED_HOSTS in the environment"
        in result.stderr
    )


def test_production_refuses_to_start_without_allowed_hosts():
    result = run(IMPORT, SECRET_KEY=random_secret())

    assert result.returncode == 1
    assert "Set the ALLOWED_HOSTS environment variable" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run(IMPORT, SECRET_KEY="too-short", ALLOWED_HOSTS="example.org")

    assert result.returncode == 1
    assert "a SECRET_KEY of 50+ characters" in result.stderr


@pytest.mark.parametrize("hosts", ["", ","])
def test_production_refuses_empty_allowed_hosts(hosts):
    result = run(IMPORT, SECRET_KEY=random_secret(), ALLOWED_HOSTS=hosts)

    assert result.returncode == 1
    assert "Production needs ALLOWED_HOSTS" in result.stderr


def test_production_passes_the_deployment_checklist(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SETTINGS_MODULE="minegap.settings.production",
        SECRET_KEY=random_secret(),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_renders_templates_through_the_cached_loader():
    """Every page's layout is parsed once per process, not on every request."""
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.template import engines; "
            "print([type(loader).__module__ for loader in "
            "engines['django'].engine.template_loaders])",
        ],
        DJANGO_SETTINGS_MODULE="minegap.settings.production",
        SECRET_KEY=random_secret(),
        ALLOWED_HOSTS="example.org",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['django.template.loaders.cached']"
