"""API fuzzing: schemathesis generates requests from /api/v1/schema/ against a real gunicorn serving this
test's database, as the orchestration admin. No answer may be a 5xx, and none may contradict the schema.

Seed, examples per operation and checks are fixed in tests/devsky/schemathesis.toml, so a run is
repeatable; a failure prints the failing request and `st replay` reproduces it.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from devsky.testing.auth import api_key_for
from tests.devsky.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.usefixtures("demo_data")]
CONFIG = Path(__file__).with_name("schemathesis.toml")


def test_the_api_holds_its_schema_under_fuzzing(wsgi_server, tmp_path):
    # Rate limits off for the fuzzing server only: they would answer 429 long before the run ends.
    url = wsgi_server(DEVSKY_RATE_LIMITS_ENABLED="false", CELERY_TASK_ALWAYS_EAGER="true")
    key = api_key_for(UserFactory(username="fuzzer", is_staff=True, is_superuser=True))
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("st")),
            "--config-file",
            str(CONFIG),
            "run",
            f"{url}/api/v1/schema/",
            "--header",
            f"Authorization: Api-Key {key}",
            "--no-color",
        ],
        cwd=tmp_path,  # schemathesis keeps its cache beside the working directory
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
    # Every operation of the schema was exercised, none skipped.
    selected = re.search(r"Selected: (\d+)/(\d+)", run.stdout)
    tested = re.search(r"Tested: (\d+)", run.stdout)
    assert selected and tested, run.stdout[-3000:]
    assert int(tested.group(1)) == int(selected.group(2)) > 40
