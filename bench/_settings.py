"""Production settings plus the bench's URLconf (the trivial baseline beside the product)."""

import os

from minegap.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench._trivial"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", "/tmp/minegap_bench_static")
