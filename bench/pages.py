"""Issue #15: the product's pages at real volumes under gunicorn, side by side with a trivial view.

Generates the data set of `bench/_volume_data.py` once into a PostgreSQL template database
(``minegap_bench_tpl_<scale>``; reused while it exists), clones it per run
(``CREATE DATABASE ... TEMPLATE``), serves it with gunicorn (5 sync workers) under production
settings plus a bench-only URLconf holding the trivial baseline view (`bench/_trivial.py`), and
loads each page for a bounded time. One JSON line per page with ``ratio_to_baseline`` (its
throughput over the trivial view's, same run) and CPU per request (the workers' CPU time over
the requests), then a summary table against the issue's targets.

Environment: BENCH_SCALE (1 = the issue's volumes), BENCH_SECONDS per page (8),
BENCH_CONNECTIONS (10), BENCH_PAGES (comma-separated subset), BENCH_PORT (8765),
PG_URL (postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL (redis://127.0.0.1:6379/6),
BENCH_RUN_DATABASE (minegap_bench_run).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench._load import load

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
# Each engineer (or CI job) running a bench at once needs its own run database and port.
RUN_DATABASE = os.environ.get("BENCH_RUN_DATABASE", "minegap_bench_run")
GENERATOR_VERSION = 2
MEDIA_ROOT = "/tmp/minegap_bench_media"
# The targets: a share of the trivial view's throughput (same run).
TARGETS = {
    "home": 0.30,
    "projects": 0.30,
    "staff_list": 0.10,
    "application_detail": 0.10,
    "evaluator_home": 0.10,
    "scoring_page": 0.10,
    "ranking_page": 0.10,
    "ranking_api": 0.10,
}
P95_TARGETS_MS = {"partner_search": 40.0}


def _psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", f"{PG_URL}/{database}", "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def _database_exists(name: str) -> bool:
    return _psql(f"select 1 from pg_database where datname = '{name}'") == "1"


def _run(module_args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, *module_args], cwd=ROOT, env=env, check=True, text=True, **kwargs
    )


def _template(scale: float) -> tuple[str, float]:
    """The template database at this scale, generated unless it exists; the seconds spent."""
    # The version changes whenever the generator does, so an older template is not reused.
    name = f"minegap_bench_tpl_v{GENERATOR_VERSION}_{str(scale).replace('.', '_')}"
    if _database_exists(name):
        return name, 0.0
    began = time.perf_counter()
    building = f"{name}_building"
    _psql(f'drop database if exists "{building}"')
    _psql(f'create database "{building}"')
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "minegap.settings.test",  # fast password hashing for setup
        "DATABASE_URL": f"{PG_URL}/{building}",
        "BENCH_SCALE": str(scale),
        "TEST_MEDIA_ROOT": MEDIA_ROOT,
    }
    env.pop("REDIS_URL", None)
    _run(["manage.py", "migrate", "--noinput", "-v", "0"], env)
    _run(["-m", "bench._generate"], env)
    _psql(f'alter database "{building}" rename to "{name}"')
    return name, time.perf_counter() - began


def _production_env(database: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench._settings",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"{PG_URL}/{database}",
        "REDIS_URL": REDIS_URL,
        "SECURE_SSL_REDIRECT": "False",
        # The anonymous API throttle would answer 429 to a load test from one address.
        "API_ANON_RATE": "100000000/minute",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": MEDIA_ROOT,
    }


def _start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [GUNICORN, "minegap.wsgi:application", "--workers", "5", "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    # A busy machine starts 5 workers slowly: BENCH_START_SECONDS waits longer.
    deadline = time.monotonic() + float(os.environ.get("BENCH_START_SECONDS", "60"))
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__bench__/trivial/", timeout=5)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not answer in time (BENCH_START_SECONDS)")


def _summary(lines: list[dict]) -> str:
    rows = ["| page | req/s | ratio | CPU ms/req | p50 ms | p95 ms | errors | target | verdict |"]
    rows.append("|---|---|---|---|---|---|---|---|---|")
    for line in lines:
        name = line["page"]
        if name in TARGETS:
            target = f"≥ {TARGETS[name]:.0%}"
            verdict = "pass" if line["ratio_to_baseline"] >= TARGETS[name] else "miss"
        elif name in P95_TARGETS_MS:
            target = f"p95 < {P95_TARGETS_MS[name]:.0f} ms"
            verdict = "pass" if line["p95_ms"] < P95_TARGETS_MS[name] else "miss"
        else:
            target, verdict = "", ""
        if line["errors"]:
            verdict = "miss (errors)" if verdict else "errors"
        rows.append(
            f"| {name} | {line['requests_per_s']} | {line['ratio_to_baseline']:.2%} | "
            f"{line['cpu_ms_per_request']} | {line['p50_ms']} | {line['p95_ms']} | "
            f"{line['errors']} | {target} | {verdict} |"
        )
    return "\n".join(rows)


def start(scale: float, port: int) -> dict:
    """Clone the template, migrate what is newer than it, prepare sessions, start gunicorn."""
    template, generation_s = _template(scale)
    _psql(f'drop database if exists "{RUN_DATABASE}" with (force)')
    _psql(f'create database "{RUN_DATABASE}" template "{template}"')
    env = _production_env(RUN_DATABASE)
    _run(["manage.py", "migrate", "--noinput", "-v", "0"], env)
    static_root = Path(env.get("BENCH_STATIC_ROOT", "/tmp/minegap_bench_static"))
    if not (static_root / "staticfiles.json").exists():
        _run(["manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    subprocess.run(["redis-cli", "-u", REDIS_URL, "flushdb"], check=True, capture_output=True)
    prepared = json.loads(_run(["-m", "bench._prepare"], env, capture_output=True).stdout)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "env": env,
        "prepared": prepared,
        "commit": commit,
        "generation_s": generation_s,
        "server": _start_gunicorn(env, port),
    }


def stop(run: dict) -> None:
    run["server"].terminate()
    run["server"].wait(timeout=30)


def main() -> list[dict]:
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    seconds = float(os.environ.get("BENCH_SECONDS", "8"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "10"))
    port = int(os.environ.get("BENCH_PORT", "8765"))
    wanted = [p for p in os.environ.get("BENCH_PAGES", "").split(",") if p]
    run = start(scale, port)
    prepared, commit, generation_s, server = (
        run["prepared"], run["commit"], run["generation_s"], run["server"]
    )  # fmt: skip
    lines: list[dict] = []
    try:
        pages = prepared["pages"]
        names = ["trivial"] + [n for n in pages if n != "trivial" and (not wanted or n in wanted)]
        baseline = None
        for name in names:
            path, who = pages[name]
            cookie = f"{prepared['cookie_name']}={prepared['cookies'][who]}" if who else None
            # One warm-up request per worker (first imports, caches), not counted.
            load(port, path, cookie=cookie, seconds=0.5, connections=5, master_pid=server.pid)
            result = load(
                port, path, cookie=cookie, seconds=seconds, connections=connections,
                master_pid=server.pid,
            )  # fmt: skip
            if name == "trivial":
                baseline = result.throughput
            line = {
                "benchmark": "pages",
                "page": name,
                "path": path,
                "scale": scale,
                "commit": commit,
                "connections": connections,
                "seconds": round(result.seconds, 2),
                "requests": result.requests,
                "errors": result.errors,
                "statuses": {str(k): v for k, v in result.statuses.items()},
                "requests_per_s": round(result.throughput, 1),
                "ratio_to_baseline": round(result.throughput / baseline, 4) if baseline else 0,
                "cpu_ms_per_request": round(1000 * result.cpu_seconds / result.requests, 2)
                if result.requests
                else None,
                "p50_ms": round(result.percentile(0.5), 1),
                "p95_ms": round(result.percentile(0.95), 1),
            }
            lines.append(line)
            print(json.dumps(line), flush=True)
    finally:
        stop(run)
    print(
        f"\nScale {scale} (generation {generation_s:.0f} s, 0 = reused), commit {commit}, "
        f"{connections} connections x {seconds:.0f} s a page, evaluator with "
        f"{prepared['assignments_of_evaluator']} assignments\n" + _summary(lines),
        flush=True,
    )
    return lines


if __name__ == "__main__":
    main()
