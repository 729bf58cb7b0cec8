"""``python -m devsky.testing.ratelimit_worker PATH API_KEY N NOW``: send N POSTs to PATH, print each status.

Run by the services tests as several OS processes at once, each a full Django stack (authentication,
policy, throttle) against the shared PostgreSQL and Redis, with the throttles' clock pinned to NOW so
every process counts in the same window. Proves that separate processes share one exact budget.
"""

import sys

import django


def main() -> None:
    path, api_key, requests, now = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    django.setup()
    from django.test import Client, override_settings

    from devsky.api import throttling

    throttling.clock = lambda: now
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {api_key}")
    with override_settings(ROOT_URLCONF="tests.testapp.urls"):
        statuses = [client.post(path, "{}", content_type="application/json").status_code for _ in range(requests)]
    print(" ".join(str(status) for status in statuses))


if __name__ == "__main__":
    main()
