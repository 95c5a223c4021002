"""A small load generator: N keep-alive connections (threads, `http.client`) hammering one URL for
a bounded time; latencies, throughput, and the CPU the gunicorn workers spent meanwhile (read from
/proc, utime + stime of every worker)."""

from __future__ import annotations

import http.client
import os
import threading
import time
from dataclasses import dataclass

TICKS = os.sysconf("SC_CLK_TCK")


def workers_cpu_seconds(master_pid: int) -> float:
    total = 0
    for pid in [*_children(master_pid), master_pid]:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICKS


def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/children") as children:
                found.extend(int(c) for c in children.read().split())
        except FileNotFoundError:
            continue
    return found


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    cpu_seconds: float
    statuses: dict

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def load(
    port: int,
    path: str | list[str],
    *,
    cookie: str | None,
    seconds: float,
    connections: int,
    master_pid: int,
) -> Result:
    """Load `path` (or each of a list of paths in turn, per connection) for `seconds`."""
    paths = [path] if isinstance(path, str) else list(path)
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = cookie
    stop_at = 0.0
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = [0]

    def worker(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        n = offset
        while time.perf_counter() < stop_at:
            n += 1
            began = time.perf_counter()
            try:
                connection.request("GET", paths[n % len(paths)], headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1
        connection.close()

    cpu_before = workers_cpu_seconds(master_pid)
    began = time.perf_counter()
    stop_at = began + seconds
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cpu = workers_cpu_seconds(master_pid) - cpu_before
    return Result(len(latencies), errors[0], elapsed, latencies, cpu, statuses)
