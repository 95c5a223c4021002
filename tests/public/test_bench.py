import json

from django.conf import settings

from bench import public_listing


def test_benchmark_skips_cleanly_without_postgresql(capsys, monkeypatch):
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", "django.db.backends.sqlite3")

    report = public_listing.main()

    assert (
        json.loads(capsys.readouterr().out)
        == report
        == {
            "benchmark": "public_listing",
            "skipped": "needs PostgreSQL (DATABASE_URL)",
        }
    )
