"""Vendored and shared static assets: present, pinned as documented, free of CDN references."""

import re
from pathlib import Path

from django.conf import settings

STATIC = Path(settings.BASE_DIR) / "static"


def test_vendored_htmx_matches_the_version_noted_in_vendored_md():
    htmx = (STATIC / "js" / "htmx.min.js").read_text()
    notes = (STATIC / "VENDORED.md").read_text()

    shipped = re.search(r'version:"([0-9.]+)"', htmx).group(1)
    documented = re.search(r"\| `js/htmx\.min\.js` \| htmx \| ([0-9.]+) \|", notes).group(1)
    assert shipped == documented
    assert shipped.split(".")[0] == "2"


def test_stylesheet_defines_every_shared_class_name():
    css = (STATIC / "css" / "minegap.css").read_text()
    shared = [
        "card", "grid", "table", "table-wrap", "button", "secondary", "danger", "badge", "ok",
        "warn", "bad", "muted", "form-row", "errorlist", "pagination", "empty", "stack",
        "actions", "skip-link", "messages",
    ]  # fmt: skip

    missing = [name for name in shared if not re.search(rf"\.{re.escape(name)}\b", css)]
    assert missing == []


def test_no_asset_is_loaded_from_another_site():
    templates = Path(settings.BASE_DIR) / "templates"
    pages = [templates / name for name in ("base.html", "403.html", "404.html", "500.html")]
    paths = [
        *STATIC.rglob("*.css"),
        STATIC / "js" / "minegap.js",
        *pages,
        *(templates / "includes").rglob("*.html"),
        *(templates / "core").rglob("*.html"),
    ]
    texts = [path.read_text() for path in paths]

    remote = [m for text in texts for m in re.findall(r"""(?:src|href)=["']https?://""", text)]
    assert remote == []
    assert [m for text in texts for m in re.findall(r"@import\s+url\(\s*['\"]?https?:", text)] == []
