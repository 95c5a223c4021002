"""Issue #15, the deadline rush: BENCH_RUSH_CONNECTIONS (200) connections, each its own signed-in
applicant and complete draft, autosave and then all submit at once, under the same gunicorn and
production settings as `bench/pages.py` (same data set). The trivial view is loaded at the same
number of connections first, for the ratio. Afterwards the database is read: every acknowledged
save must be the answer's one row, every acknowledged submission exactly one version. Prints
one JSON line and a summary.

The autosave runs twice, one after the other:
- flat out for BENCH_RUSH_SECONDS (20): each applicant sends its next save as soon as the last is
  answered. This measures how many saves a second the server can take (the ratio to the trivial
  view). Its latency says little: with every client always waiting, a save waits for the ones
  queued before it, about connections / throughput (Little's law); the trivial view's own p95
  at the same connections is printed beside it.
- at the pace of the form for BENCH_RUSH_PACED_SECONDS (10): the question's textarea saves
  700 ms after the last keystroke (`hx-trigger="input changed delay:700ms"`, read from the
  template), so the fastest a typing applicant can drive it is a save 700 ms after the previous
  one was sent (or when it is answered, if later). This is the rush 200 applicants can make; its
  p95 is the latency target's measure.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import threading
import time

from bench._load import load, workers_cpu_seconds
from bench.pages import PYTHON, ROOT, start, stop

TARGET_RATIO = 0.30
TARGET_P95_MS = 300.0
QUESTIONS_TEMPLATE = ROOT / "calls/templates/calls/apply/step_questions.html"


def form_debounce_seconds() -> float:
    """The autosave's delay after the last keystroke, as the form's template sets it."""
    found = re.search(r"input changed delay:(\d+)ms", QUESTIONS_TEMPLATE.read_text())
    if found is None:
        raise RuntimeError(f"No autosave delay found in {QUESTIONS_TEMPLATE}.")
    return int(found.group(1)) / 1000


def _post(port: int, path: str, cookie: str, body: str, csrf: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Host": "127.0.0.1",
                "Cookie": f"{cookie}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
            },
        )
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    except (OSError, http.client.HTTPException):
        return 0, ""
    finally:
        connection.close()


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> dict:
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    seconds = float(os.environ.get("BENCH_RUSH_SECONDS", "20"))
    paced_seconds = float(os.environ.get("BENCH_RUSH_PACED_SECONDS", "10"))
    port = int(os.environ.get("BENCH_PORT", "8765"))
    run = start(scale, port)
    drafts = run["prepared"]["rush"]
    connections = int(os.environ.get("BENCH_RUSH_CONNECTIONS", str(len(drafts))))
    drafts = drafts[:connections]
    cookie_name = run["prepared"]["cookie_name"]
    csrf = "b" * 32  # an unmasked secret: the cookie and the header agree
    try:
        baseline = load(
            port, "/__bench__/trivial/", cookie=None, seconds=min(seconds, 10),
            connections=len(drafts), master_pid=run["server"].pid,
        )  # fmt: skip
        save_latencies: list[float] = []
        paced_latencies: list[float] = []
        submit_latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()
        flat_out_done = threading.Event()
        paced_stop_at = [0.0]
        debounce = form_debounce_seconds()

        def end_flat_out() -> None:
            paced_stop_at[0] = time.perf_counter() + paced_seconds
            flat_out_done.set()

        between = threading.Barrier(len(drafts), action=end_flat_out)
        barrier_passed = threading.Event()
        barrier = threading.Barrier(len(drafts), action=barrier_passed.set)
        stop_at = time.perf_counter() + seconds
        outcome = [{"application": d["application"], "question": d["question"],
                    "last_saved": None, "submitted": False} for d in drafts]  # fmt: skip

        def applicant(index: int) -> None:
            draft = drafts[index]
            cookie = f"{cookie_name}={draft['cookie']}"
            field = f"q{draft['question']}"
            n = 0

            def save(latencies: list[float]) -> None:
                nonlocal n
                n += 1
                text = f"draft {draft['application']} save {n}"
                began = time.perf_counter()
                status, body = _post(
                    port, draft["autosave"], cookie, f"{field}={text}".replace(" ", "+"), csrf
                )
                elapsed = (time.perf_counter() - began) * 1000
                with lock:
                    if status == 200 and body.startswith("Saved at"):
                        latencies.append(elapsed)
                        outcome[index]["last_saved"] = text
                    else:
                        errors[0] += 1

            while time.perf_counter() < stop_at:
                save(save_latencies)
            between.wait()
            # Applicants typing independently: their first paced saves spread over one delay.
            next_save = time.perf_counter() + debounce * index / len(drafts)
            while next_save < paced_stop_at[0]:
                time.sleep(max(0.0, next_save - time.perf_counter()))
                sent = time.perf_counter()
                save(paced_latencies)
                next_save = sent + debounce
            barrier.wait()
            began = time.perf_counter()
            status, _body = _post(port, draft["submit"], cookie, "", csrf)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                if status == 302:
                    submit_latencies.append(elapsed)
                    outcome[index]["submitted"] = True
                else:
                    errors[0] += 1

        threads = [threading.Thread(target=applicant, args=(i,)) for i in range(len(drafts))]
        cpu_before = workers_cpu_seconds(run["server"].pid)
        for thread in threads:
            thread.start()
        flat_out_done.wait()
        # The workers' CPU during the flat-out saves (the first paced ones may overlap by a few ms).
        save_cpu = workers_cpu_seconds(run["server"].pid) - cpu_before
        barrier_passed.wait()
        submitting = time.perf_counter()
        for thread in threads:
            thread.join()
        submit_all = time.perf_counter() - submitting
    finally:
        stop(run)
    check = json.loads(
        subprocess.run(
            [PYTHON, "-m", "bench._rush_check"], cwd=ROOT, env=run["env"], check=True,
            input=json.dumps(outcome), capture_output=True, text=True,
        ).stdout
    )  # fmt: skip
    saves_per_s = len(save_latencies) / seconds
    line = {
        "benchmark": "rush",
        "scale": scale,
        "commit": run["commit"],
        "connections": len(drafts),
        "autosave_seconds": seconds,
        "saves": len(save_latencies),
        "saves_per_s": round(saves_per_s, 1),
        "trivial_per_s": round(baseline.throughput, 1),
        "ratio_to_baseline": round(saves_per_s / baseline.throughput, 4),
        # Flat out: connections / throughput, whatever a save costs (the module's docstring).
        "save_p95_ms": round(_percentile(save_latencies, 0.95), 1),
        "paced_seconds": paced_seconds,
        "paced_delay_ms": round(debounce * 1000),
        "paced_saves": len(paced_latencies),
        "paced_saves_per_s": round(len(paced_latencies) / paced_seconds, 1),
        "paced_save_p50_ms": round(_percentile(paced_latencies, 0.50), 1),
        "paced_save_p95_ms": round(_percentile(paced_latencies, 0.95), 1),
        # The trivial view's own p95 at the same connections: with 5 workers and no pause
        # between requests, a request waits for those queued before it (Little's law: about
        # connections / throughput), whatever it costs itself.
        "trivial_p95_ms": round(baseline.percentile(0.95), 1),
        # gunicorn workers' CPU (from /proc) per request: what our code costs, less sensitive to
        # the machine's other load than throughput (PostgreSQL's CPU is not in it).
        "trivial_cpu_ms": round(1000 * baseline.cpu_seconds / baseline.requests, 2)
        if baseline.requests
        else None,
        "save_cpu_ms": round(1000 * save_cpu / len(save_latencies), 2) if save_latencies else None,
        "submissions": len(submit_latencies),
        "submit_p95_ms": round(_percentile(submit_latencies, 0.95), 1),
        "submit_all_s": round(submit_all, 2),
        "errors": errors[0],
        **check,
    }
    load_average = os.getloadavg()[0]
    line["load_average_1m"] = round(load_average, 2)
    print(json.dumps(line), flush=True)
    verdict = (
        line["errors"] == 0
        and check["lost_saves"] == 0
        and check["lost_submissions"] == 0
        and check["duplicated"] == 0
        and line["ratio_to_baseline"] >= TARGET_RATIO
        and line["paced_save_p95_ms"] < TARGET_P95_MS
    )
    print(
        f"rush: flat out {line['saves_per_s']} saves/s = {line['ratio_to_baseline']:.1%} of the "
        f"trivial view at {len(drafts)} connections (p95 {line['save_p95_ms']} ms); at the "
        f"form's pace ({line['paced_delay_ms']} ms) {line['paced_saves_per_s']} saves/s, p95 "
        f"{line['paced_save_p95_ms']} ms; "
        f"{line['submissions']} submissions (p95 {line['submit_p95_ms']} ms), errors "
        f"{line['errors']}, lost {check['lost_saves']} saves / {check['lost_submissions']} "
        f"submissions, duplicated {check['duplicated']}: target (0 errors, 0 lost, ≥ 30 % flat "
        f"out, p95 < 300 ms at the form's pace) {'pass' if verdict else 'miss'}; trivial p95 {line['trivial_p95_ms']} ms; "
        f"worker CPU {line['save_cpu_ms']} ms a save, {line['trivial_cpu_ms']} ms a trivial "
        f"request; load average {load_average:.1f}",
        flush=True,
    )
    return line


if __name__ == "__main__":
    main()
