"""``python -m devsky.testing.ratelimit_worker KEY N NOW``: count N hits on KEY at epoch NOW, print each count.

Run by the services tests as several OS processes at once, to prove the counter is shared and atomic.
"""

import sys

import django


def main() -> None:
    key, hits, now = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    django.setup()
    from devsky.api.throttling import rate_limit_hit

    print(" ".join(str(rate_limit_hit(key, now=now)[0]) for _ in range(hits)))


if __name__ == "__main__":
    main()
