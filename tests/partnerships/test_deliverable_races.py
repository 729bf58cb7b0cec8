"""Twenty writers at once on one deliverable, all holding the same ETag: exactly one wins each version,
the others get 412 and nothing they sent is half-applied or silently lost."""

import pytest

from devsky.testing.concurrency import run_concurrently
from partnerships.models import Deliverable, DeliverableChange

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("demo_data")]
URL = "/api/v1/partnerships/technical_excellence/deliverables/microservices_architecture"
WRITERS = 20
ROUNDS = 3


def write(client, etag: str, round_number: int, completion: int) -> tuple[int, int]:
    body = {"completion_percentage": completion, "status": f"round {round_number}, writer {completion}"}
    return client.put(URL, body, format="json", HTTP_IF_MATCH=etag).status_code, completion


def test_twenty_concurrent_if_match_writers_exactly_one_wins_per_version(role_client):
    writers = [role_client("partnership_manager") for _ in range(WRITERS)]
    history_before = DeliverableChange.objects.count()

    for round_number in range(ROUNDS):
        etag = writers[0].get(URL)["ETag"]
        assert etag == f'"v{round_number + 1}"'

        # Each writer sends its own value, so the stored value names the winner.
        results = run_concurrently(
            write, [(client, etag, round_number, 10 + index) for index, client in enumerate(writers)]
        )
        statuses = sorted(status for status, _ in results)
        assert statuses == [200] + [412] * (WRITERS - 1), statuses
        (winner,) = [completion for status, completion in results if status == 200]

        deliverable = Deliverable.objects.get(partnership_id="technical_excellence", key="microservices_architecture")
        assert deliverable.version == round_number + 2
        assert deliverable.completion == winner  # the acknowledged write is the stored one: no lost update
        assert deliverable.status == f"round {round_number}, writer {winner}"

    # One history entry per successful write, none for the refused ones.
    assert DeliverableChange.objects.count() == history_before + ROUNDS
