"""What drew a page, as a short digest: cached HTML is named after it, so that after a deploy
that changes a template, a translation, a stylesheet's hashed name or the code that fills them,
no visitor is served what the old code drew (the anonymous pages' cache, the ranking's page
bodies).

The `RELEASE` setting (environment) names it when the deployment knows it (a commit, an image
tag). Otherwise it is the digest of the project's own sources (Python, templates and texts,
compiled translations, stylesheets and scripts) and of the installed packages' versions, read
once per process (about a thousand files: tens of milliseconds, at the first cached page).
"""

import hashlib
import os
from collections.abc import Iterator
from functools import cache
from importlib import metadata
from pathlib import Path

from django.conf import settings

#: The files whose content can change what a page shows.
SOURCE_SUFFIXES = (".py", ".html", ".txt", ".mo", ".css", ".js")
#: Folders of the project that draw no page: tools, tests, state, dependencies.
SKIPPED_FOLDERS = frozenset(
    {"__pycache__", "node_modules", "media", "staticfiles", "tests", "bench", "venv"}
)


@cache
def release() -> str:
    """The deployment's `RELEASE`, else the digest of what draws the pages (see the module)."""
    return settings.RELEASE or code_digest(Path(settings.BASE_DIR))


def code_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(_sources(root)):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    for distribution in sorted(
        f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()
    ):
        digest.update(distribution.encode())
    return digest.hexdigest()[:16]


def _sources(root: Path) -> Iterator[Path]:
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [
            name for name in subfolders if name not in SKIPPED_FOLDERS and not name.startswith(".")
        ]
        for name in files:
            if name.endswith(SOURCE_SUFFIXES):
                yield Path(folder) / name
