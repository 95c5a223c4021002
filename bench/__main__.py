"""Run every benchmark module of this package (or those named on the command line)."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import django


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minegap.settings.local")
    django.setup()  # benchmarks that touch the ORM need it; the others do not mind
    package = importlib.import_module("bench")
    available = sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")
    )
    names = argv or available
    unknown = sorted(set(names) - set(available))
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(available)}",
            file=sys.stderr,
        )
        return 2
    for name in names:
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
