"""Deliverable updates: validation, history, If-Match, last_updated conflicts, nothing half-written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partnerships.models import Deliverable, DeliverableChange

pytestmark = pytest.mark.usefixtures("demo_data")
URL = "/api/v1/partnerships/technical_excellence/deliverables/microservices_architecture"


@pytest.fixture
def manager(role_client):
    return role_client("partnership_manager")


def snapshot():
    deliverable = Deliverable.objects.get(partnership_id="technical_excellence", key="microservices_architecture")
    return (deliverable.completion, deliverable.status, deliverable.version, DeliverableChange.objects.count())


def test_the_documents_update_raises_progress_and_is_recorded(manager):
    response = manager.put(URL, {"completion_percentage": 85.0, "status": "Implementation 85% complete"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["progress"] == 85.0
    assert body["status"] == "Implementation 85% complete"
    assert body["partnership_progress"] == 77.5
    assert body["version"] == 2
    assert response["ETag"] == '"v2"'
    listed = manager.get("/api/v1/partnerships/technical_excellence/deliverables").json()
    assert listed["progress"] == 77.5
    status = manager.get("/api/v1/partnerships/technical_excellence/status").json()
    assert status["progress"] == 77.5
    change = DeliverableChange.objects.get()
    assert (change.from_completion, change.to_completion, change.status) == (60, 85, "Implementation 85% complete")
    assert change.changed_by.groups.filter(name="partnership_manager").exists()
    history = manager.get(URL + "/history").json()["changes"]
    assert history[0]["to_completion"] == 85.0 and history[0]["source"] == "api"


@pytest.mark.parametrize("value", [150, -1, "abc", "85", True, None, [], {"v": 1}, 100.0001])
def test_invalid_completion_is_400_naming_the_field_and_writes_nothing(manager, value):
    before = snapshot()
    response = manager.put(URL, {"completion_percentage": value, "status": "x"}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "completion_percentage" in response.json()["errors"]
    assert snapshot() == before


def test_put_needs_both_fields_patch_does_not(manager):
    response = manager.put(URL, {"status": "only status"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"completion_percentage"}
    patched = manager.patch(URL, {"status": "only status"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["progress"] == 60.0 and patched.json()["status"] == "only status"


def test_unknown_fields_are_refused_by_name(manager):
    response = manager.put(URL, {"completion_percentage": 70, "status": "x", "progres": 70}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"progres": ["Unknown field."]}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/partnerships/technical_excellence/deliverables/no_such_thing",
        "/api/v1/partnerships/no_such_partnership/deliverables/microservices_architecture",
    ],
)
def test_unknown_deliverable_or_partnership_is_404(manager, path):
    response = manager.put(path, {"completion_percentage": 70, "status": "x"}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_if_match_stale_is_412_and_current_succeeds(manager):
    etag = manager.get(URL)["ETag"]
    assert etag == '"v1"'
    assert (
        manager.put(URL, {"completion_percentage": 70, "status": "a"}, format="json", HTTP_IF_MATCH=etag).status_code
        == 200
    )
    before = snapshot()
    stale = manager.put(URL, {"completion_percentage": 90, "status": "b"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == '"v2"'
    assert snapshot() == before


def test_older_last_updated_is_a_409_conflict(manager):
    stored = Deliverable.objects.get(key="microservices_architecture").last_updated
    before = snapshot()
    older = (stored - timedelta(hours=1)).isoformat()
    response = manager.put(URL, {"completion_percentage": 90, "status": "late", "last_updated": older}, format="json")
    assert response.status_code == 409
    assert "last_updated" in response.json()["errors"]
    assert snapshot() == before
    newer = (timezone.now() + timedelta(seconds=1)).isoformat()
    ok = manager.put(URL, {"completion_percentage": 90, "status": "fresh", "last_updated": newer}, format="json")
    assert ok.status_code == 200


def test_completion_moves_the_state(manager):
    done = manager.put(URL, {"completion_percentage": 100, "status": "shipped"}, format="json").json()
    assert done["state"] == "done"
    cancelled = manager.patch(URL, {"state": "cancelled"}, format="json").json()
    assert cancelled["state"] == "cancelled"
    # cancelled deliverables leave the roll-up: (75 + 80 + 70) / 3
    assert cancelled["partnership_progress"] == 75.0


def test_read_only_roles_cannot_update(role_client):
    viewer = role_client("metrics_viewer")
    assert viewer.get("/api/v1/partnerships/").status_code == 403
    content = role_client("content_manager")
    assert content.put(URL, {"completion_percentage": 70, "status": "x"}, format="json").status_code == 403


def test_list_and_status_query_counts_do_not_grow(manager, django_assert_max_num_queries):
    from django.core.cache import cache

    from orchestration.cache import PARTNERSHIP_SUMMARIES_KEY
    from tests.partnerships.factories import DeliverableFactory, PartnershipFactory

    manager.get("/api/v1/partnerships/")  # warm the health cache and the session
    cache.delete(PARTNERSHIP_SUMMARIES_KEY)  # count the list's own queries, not those of its cached copy
    with django_assert_max_num_queries(8) as small:
        manager.get("/api/v1/partnerships/")
    for n in range(6):  # written directly, not through the services, so nothing invalidates the list
        DeliverableFactory.create_batch(5, partnership=PartnershipFactory(id=f"old_engine_{n}", type="brand"))
    manager.get("/api/v1/partnerships/")
    cache.delete(PARTNERSHIP_SUMMARIES_KEY)
    with django_assert_max_num_queries(8) as large:
        assert len(manager.get("/api/v1/partnerships/").json()["partnerships"]) == 10
    assert len(large.captured_queries) == len(small.captured_queries)


def test_status_and_deliverables_query_counts_do_not_grow(manager, django_assert_max_num_queries):
    from tests.partnerships.factories import DeliverableFactory

    paths = [
        "/api/v1/partnerships/technical_excellence/status",
        "/api/v1/partnerships/technical_excellence/deliverables",
        URL + "/history",
    ]

    def measure():
        counts = []
        for path in paths:
            manager.get(path)  # warm caches
            with django_assert_max_num_queries(10) as captured:
                assert manager.get(path).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    small = measure()
    DeliverableFactory.create_batch(20, partnership_id="technical_excellence")
    for completion in range(10, 60, 5):
        manager.patch(URL, {"completion_percentage": completion}, format="json")
    assert measure() == small


def test_one_active_partnership_per_type(db):
    from django.db import IntegrityError, transaction

    from partnerships.models import Partnership

    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(id="second_brand", type="brand", name="Second", ai_partner="x", active=True)
    Partnership.objects.create(id="old_brand", type="brand", name="Old", ai_partner="x", active=False)


def test_admin_form_explains_the_one_active_rule(db):
    from devsky.testing.clients import browser_for
    from tests.devsky.factories import UserFactory

    staff = browser_for(UserFactory(roles=["orchestration_admin"], is_staff=True))
    response = staff.post(
        "/admin/partnerships/partnership/add/",
        {
            "id": "second_brand",
            "type": "brand",
            "name": "Second brand engine",
            "ai_partner": "x",
            "active": "on",
            "roles": "[]",
            "deliverables-TOTAL_FORMS": "0",
            "deliverables-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Another partnership of this type is active; deactivate it first." in response.content.decode()


def test_future_last_updated_and_empty_patches_are_400(manager):
    before = snapshot()
    future = (timezone.now() + timedelta(days=1)).isoformat()
    response = manager.put(URL, {"completion_percentage": 70, "status": "x", "last_updated": future}, format="json")
    assert response.status_code == 400 and "last_updated" in response.json()["errors"]
    assert manager.patch(URL, {}, format="json").status_code == 400
    assert snapshot() == before


def test_a_deliverables_partnership_is_fixed_in_the_admin(db):
    from devsky.testing.clients import browser_for
    from tests.devsky.factories import UserFactory

    staff = browser_for(UserFactory(roles=["orchestration_admin"], is_staff=True))
    deliverable = Deliverable.objects.get(key="microservices_architecture")
    page = staff.get(f"/admin/partnerships/deliverable/{deliverable.pk}/change/")
    assert "partnership" not in page.context["adminform"].form.fields


def test_the_cached_list_is_fresh_after_a_deliverable_update(manager, django_capture_on_commit_callbacks):
    def technical():
        return next(p for p in manager.get("/api/v1/partnerships/").json()["partnerships"] if p["type"] == "technical")

    assert technical()["progress"] == 71.25  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.patch(URL, {"completion_percentage": 100}, format="json").status_code == 200
    listed = technical()
    assert listed["progress"] == 81.25  # (100 + 75 + 80 + 70) / 4
    assert next(d for d in listed["deliverables"] if d["name"] == "microservices_architecture")["progress"] == 100
