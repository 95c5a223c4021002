"""A redis-server of a test's own, so stopping it leaves the machine's Redis alone."""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis_server(folder: Path) -> tuple[subprocess.Popen, redis.Redis, int]:
    """Start redis-server on a free port; return the process, a client and the port."""
    executable = shutil.which("redis-server")
    assert executable, "redis-server must be installed to run this test"
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (the installed redis-server, fixed arguments)
        [
            executable,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=0.2)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return process, client, port
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
