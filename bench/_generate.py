"""Fill the (migrated, empty) database of DATABASE_URL with the bench data set at BENCH_SCALE."""

import os

import django

django.setup()

from django.db import connection  # noqa: E402

from bench._volume_data import Volumes, generate  # noqa: E402


def main() -> None:
    volumes = Volumes().scaled(float(os.environ.get("BENCH_SCALE", "1")))
    generate(volumes)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(volumes)


if __name__ == "__main__":
    main()
