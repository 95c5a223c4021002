"""Links cannot vanish silently: every URL name a template asks for exists, and no template uses
the forms that turn a wrong name or a missing template into nothing."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import get_resolver

ROOT = Path(settings.BASE_DIR)
URL_TAG = re.compile(r"""{%\s*url\s+['"]([^'"]+)['"]""")
URL_AS = re.compile(r"""{%\s*url\s+[^%]*\sas\s+\w+\s*%}""")


def templates() -> list[Path]:
    found = [
        path
        for path in ROOT.rglob("*.html")
        if "templates" in path.parts
        and not {".venv", "node_modules", "staticfiles"} & set(path.parts)
    ]
    assert len(found) > 100  # the walk found the apps' templates, not an empty folder
    return found


def known_url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver, namespace: str = "") -> None:
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern, inner)
            elif pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver())
    return names


def test_every_url_name_in_a_template_exists():
    names = known_url_names()
    missing = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in templates()
        for name in URL_TAG.findall(path.read_text())
        if name not in names
    )
    assert missing == []


def test_no_template_hides_a_wrong_url_name_or_a_missing_template():
    offenders = sorted(
        str(path.relative_to(ROOT))
        for path in templates()
        if URL_AS.search(path.read_text()) or "include_if_exists" in path.read_text()
    )
    assert offenders == []
