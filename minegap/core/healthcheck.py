"""Container healthcheck: `python -m minegap.core.healthcheck` exits 0 when /healthz answers 200.

It asks the gunicorn of its own container, as the reverse proxy would: with the first of
ALLOWED_HOSTS as Host and `X-Forwarded-Proto: https` (production redirects plain HTTP).
Standard library only, and no Django start-up: it runs every few seconds.
"""

import os
import sys
import urllib.error
import urllib.request


def health_request(url: str, allowed_hosts: str) -> urllib.request.Request:
    hosts = [host.strip() for host in allowed_hosts.split(",") if host.strip() not in ("", "*")]
    headers = {"X-Forwarded-Proto": "https"}
    if hosts:
        headers["Host"] = hosts[0].lstrip(".")
    return urllib.request.Request(url, headers=headers)  # noqa: S310 (our own http URL)


def main() -> int:
    url = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz")
    request = health_request(url, os.environ.get("ALLOWED_HOSTS", ""))
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            body = response.read().decode()
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read().decode(), exc.code
    except OSError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1
    print(body)
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
