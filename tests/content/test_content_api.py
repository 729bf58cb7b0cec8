"""Content pieces and influencers through the API: the document's examples, validation, duplicates,
bulk all-or-nothing, lists (filters, keyset pages, slim rows, CSV), roles and events."""

import csv
import io

import pytest

from content.models import ContentPiece, Influencer
from tests.content.factories import ContentPieceFactory, InfluencerFactory

PIECES = "/api/v1/content/pieces"
INFLUENCERS = "/api/v1/content/influencers"
DOC_PIECE = {
    "platform": "instagram",
    "content_type": "luxury_showcase",
    "engagement_rate": 8.5,
    "reach": 50000,
    "conversions": 125,
}
DOC_INFLUENCER = {
    "name": "LuxuryLifestyle_Anna",
    "platform": "instagram",
    "followers": 2500000,
    "engagement_rate": 6.5,
    "tier": "tier_1",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(role_client, settings):
    settings.DEVSKY_RATE_LIMITS_ENABLED = False
    return role_client("content_manager")


def test_document_examples_create_and_read_back(manager):
    piece = manager.post(PIECES, DOC_PIECE, format="json")
    assert piece.status_code == 201, piece.content
    read = manager.get(piece["Location"]).json()
    assert {key: read[key] for key in DOC_PIECE} == DOC_PIECE
    influencer = manager.post(INFLUENCERS, DOC_INFLUENCER, format="json")
    assert influencer.status_code == 201
    read = manager.get(influencer["Location"]).json()
    assert {key: read[key] for key in DOC_INFLUENCER} == DOC_INFLUENCER
    assert read["status"] == "prospect" and read["verified"] is False


def test_partnership_defaults_to_the_active_brand_partnership(manager, demo_data):
    body = manager.post(PIECES, DOC_PIECE, format="json").json()
    assert body["partnership"] == "brand_amplification"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**DOC_PIECE, "platform": "myspace"}, "platform"),
        ({**DOC_PIECE, "content_type": "Luxury Showcase!"}, "content_type"),
        ({**DOC_PIECE, "engagement_rate": 101}, "engagement_rate"),
        ({**DOC_PIECE, "engagement_rate": -1}, "engagement_rate"),
        ({**DOC_PIECE, "reach": -5}, "reach"),
        ({**DOC_PIECE, "reach": "50000"}, "reach"),
        ({**DOC_PIECE, "reach": 12.5}, "reach"),
        ({**DOC_PIECE, "conversions": 60000}, "conversions"),
        ({**DOC_PIECE, "url": "not a url"}, "url"),
        ({**DOC_PIECE, "partnership": "nobody"}, "partnership"),
        ({**DOC_PIECE, "influencer": 999999}, "influencer"),
        ({**DOC_PIECE, "colour": "red"}, "colour"),
        ({"content_type": "x"}, "platform"),
    ],
)
def test_invalid_piece_fields_are_named(manager, body, field):
    response = manager.post(PIECES, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not ContentPiece.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**DOC_INFLUENCER, "followers": -1}, "followers"),
        ({**DOC_INFLUENCER, "tier": "tier_9"}, "tier"),
        ({**DOC_INFLUENCER, "status": "friends"}, "status"),
        ({**DOC_INFLUENCER, "verified": "yes"}, "verified"),
        ({**DOC_INFLUENCER, "engagement_rate": 100.5}, "engagement_rate"),
        ({**DOC_INFLUENCER, "name": ""}, "name"),
        ({"platform": "instagram"}, "name"),
    ],
)
def test_invalid_influencer_fields_are_named(manager, body, field):
    response = manager.post(INFLUENCERS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_duplicate_influencer_is_409_with_the_existing_id(manager):
    first = manager.post(INFLUENCERS, DOC_INFLUENCER, format="json").json()
    again = manager.post(INFLUENCERS, {**DOC_INFLUENCER, "name": "luxurylifestyle_anna"}, format="json")
    assert again.status_code == 409
    assert again.json()["existing_id"] == first["id"]
    assert manager.post(INFLUENCERS, {**DOC_INFLUENCER, "platform": "tiktok"}, format="json").status_code == 201


@pytest.mark.parametrize(
    ("followers", "tier"),
    [(1_000_000, "tier_1"), (999_999, "tier_2"), (100_000, "tier_2"), (10_000, "tier_3"), (9_999, "tier_4")],
)
def test_tier_follows_followers_when_omitted(manager, followers, tier):
    body = manager.post(INFLUENCERS, {"name": f"h{followers}", "platform": "x", "followers": followers}, format="json")
    assert body.json()["tier"] == tier


def test_bulk_create_is_all_or_nothing(manager):
    good = [{**DOC_PIECE, "reach": 1000 + i, "conversions": i} for i in range(5)]
    created = manager.post(PIECES, good, format="json")
    assert created.status_code == 201
    assert created.json()["created"] == 5
    bad = [*good, {**DOC_PIECE, "conversions": 10**9}]
    response = manager.post(PIECES, bad, format="json")
    assert response.status_code == 400
    assert "5.conversions" in response.json()["errors"]
    assert ContentPiece.objects.count() == 5
    too_many = manager.post(PIECES, [DOC_PIECE] * 1001, format="json")
    assert too_many.status_code == 400
    assert manager.post(PIECES, [], format="json").status_code == 400


def test_bulk_influencers_refuse_duplicates_inside_and_outside_the_batch(manager):
    InfluencerFactory(name="Existing", platform="tiktok")
    batch = [{"name": "New1", "platform": "tiktok"}, {"name": "new1", "platform": "tiktok"}]
    response = manager.post(INFLUENCERS, batch, format="json")
    assert response.status_code == 400 and "1.name" in response.json()["errors"]
    response = manager.post(
        INFLUENCERS, [{"name": "New2", "platform": "x"}, {"name": "existing", "platform": "tiktok"}], format="json"
    )
    assert response.status_code == 409
    assert "1.name" in response.json()["errors"]
    assert Influencer.objects.count() == 1


def test_updates_and_roles(manager, role_client):
    piece = manager.post(PIECES, DOC_PIECE, format="json").json()
    url = f"{PIECES}/{piece['id']}"
    patched = manager.patch(url, {"conversions": 300}, format="json")
    assert patched.status_code == 200 and patched.json()["conversions"] == 300
    assert manager.patch(url, {"conversions": 60000}, format="json").status_code == 400
    assert manager.put(url, {"platform": "tiktok"}, format="json").status_code == 400  # content_type required
    assert manager.delete(url).status_code == 403
    assert role_client("partnership_manager").get(PIECES).status_code == 403
    assert role_client("orchestration_admin").delete(url).status_code == 204
    assert manager.get(url).status_code == 404


def test_influencers_cannot_be_deleted_through_the_api(manager, role_client):
    influencer = manager.post(INFLUENCERS, DOC_INFLUENCER, format="json").json()
    assert role_client("orchestration_admin").delete(f"{INFLUENCERS}/{influencer['id']}").status_code == 405


def test_status_change_is_published(manager, events, django_capture_on_commit_callbacks):
    influencer = manager.post(INFLUENCERS, DOC_INFLUENCER, format="json").json()
    with django_capture_on_commit_callbacks(execute=True):
        manager.patch(f"{INFLUENCERS}/{influencer['id']}", {"status": "contacted"}, format="json")
    message = events.next("influencer.updated")
    assert message["data"]["id"] == influencer["id"]
    assert (message["data"]["from"], message["data"]["to"]) == ("prospect", "contacted")
    with django_capture_on_commit_callbacks(execute=True):
        piece = manager.post(PIECES, DOC_PIECE, format="json").json()
    assert events.next("content.created")["data"]["ids"] == [piece["id"]]


def test_list_filters_search_ordering_and_keyset_pages(manager):
    for index in range(30):
        ContentPieceFactory(
            platform="tiktok" if index % 3 else "instagram", reach=1000 + index, engagement_rate=index / 2
        )
    ContentPieceFactory(title="Milan runway", platform="x")
    tiktok = manager.get(PIECES, {"platform": "tiktok", "page_size": 7}).json()
    assert len(tiktok["results"]) == 7 and all(row["platform"] == "tiktok" for row in tiktok["results"])
    seen = [row["id"] for row in tiktok["results"]]
    page = tiktok
    while page["next"]:
        page = manager.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]
    assert len(seen) == len(set(seen)) == 20
    assert manager.get(PIECES, {"search": "milan"}).json()["results"][0]["title"] == "Milan runway"
    ranged = manager.get(PIECES, {"min_engagement": 10, "max_reach": 1025}).json()["results"]
    assert ranged and all(row["engagement_rate"] >= 10 and row["reach"] <= 1025 for row in ranged)
    by_reach = manager.get(PIECES, {"ordering": "-reach", "page_size": 3}).json()["results"]
    assert [row["reach"] for row in by_reach] == [1029, 1028, 1027]
    assert manager.get(PIECES, {"platform": "myspace"}).status_code == 400
    assert manager.get(PIECES, {"min_reach": "lots"}).status_code == 400


def test_slim_rows(manager):
    ContentPieceFactory()
    brief = manager.get(PIECES, {"brief": 1}).json()["results"][0]
    assert set(brief) == {"id", "platform", "content_type", "published_at", "reach", "conversions", "engagement_rate"}
    picked = manager.get(PIECES, {"fields": "id,reach"}).json()["results"][0]
    assert set(picked) == {"id", "reach"}
    bad = manager.get(PIECES, {"fields": "id,colour"})
    assert bad.status_code == 400 and "fields" in bad.json()["errors"]


def test_csv_export_streams_every_filtered_row(manager):
    for index in range(120):
        ContentPieceFactory(platform="pinterest" if index % 2 else "instagram", title="=cmd()" if index == 0 else "")
    response = manager.get(PIECES, {"format": "csv", "platform": "instagram"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 60 and {row["platform"] for row in rows} == {"instagram"}
    assert any(row["title"] == "'=cmd()" for row in rows)  # no spreadsheet formulas
    by_accept = manager.get(INFLUENCERS, HTTP_ACCEPT="text/csv")
    assert by_accept.status_code == 200 and by_accept["Content-Type"].startswith("text/csv")


def test_list_query_count_is_constant(manager, django_assert_max_num_queries):
    ContentPieceFactory.create_batch(5)
    manager.get(PIECES)
    with django_assert_max_num_queries(5) as small:
        manager.get(PIECES)
    ContentPieceFactory.create_batch(60, influencer=InfluencerFactory())
    with django_assert_max_num_queries(5) as large:
        assert len(manager.get(PIECES).json()["results"]) == 50
    assert len(small.captured_queries) == len(large.captured_queries)


def test_content_is_throttled_at_50_per_minute(role_client, frozen_throttle_clock):
    client = role_client("content_manager")
    statuses = [client.get(INFLUENCERS).status_code for _ in range(51)]
    assert statuses == [200] * 50 + [429]


def test_demo_data_holds_the_documents_examples(manager, demo_data):
    anna = manager.get(INFLUENCERS, {"search": "LuxuryLifestyle_Anna"}).json()["results"][0]
    assert (anna["followers"], anna["engagement_rate"], anna["tier"]) == (2500000, 6.5, "tier_1")
    tiktok = manager.get(
        PIECES, {"content_type": "style_tutorial", "platform": "tiktok", "min_reach": 75000, "max_reach": 75000}
    ).json()
    assert any(row["engagement_rate"] == 12.3 and row["conversions"] == 200 for row in tiktok["results"])
    assert manager.get(PIECES).json()["next"]  # enough rows to page


@pytest.mark.parametrize(("ordering", "field"), [("reach", "reach"), ("-engagement_rate", "engagement_rate")])
def test_ties_in_the_sort_never_repeat_or_skip_rows(manager, ordering, field):
    ContentPieceFactory.create_batch(40, reach=777, engagement_rate=3.5)
    ContentPieceFactory.create_batch(5, reach=10, engagement_rate=9.0)
    seen, page = [], manager.get(PIECES, {"ordering": ordering, "page_size": 7}).json()
    seen += page["results"]
    while page["next"]:
        page = manager.get(page["next"]).json()
        seen += page["results"]
    assert len(seen) == 45 and len({row["id"] for row in seen}) == 45
    values = [row[field] for row in seen]
    assert values == sorted(values, reverse=ordering.startswith("-"))


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "garbage"},
        {"cursor": "eyJ2IjogImFiYyIsICJpZCI6IDEsICJmIjogInJlYWNoIiwgImQiOiBmYWxzZX0="},
        {"ordering": "conversions"},
        {"ordering": "reach,id"},
        {"page_size": 0},
        {"page_size": "many"},
    ],
)
def test_bad_cursors_sorts_and_sizes_are_400(manager, params):
    ContentPieceFactory.create_batch(3)
    response = manager.get(PIECES, {"ordering": "reach", **params})
    assert response.status_code == 400, response.content
    assert set(response.json()["errors"]) & {"cursor", "ordering", "page_size"}


def test_bulk_create_query_count_does_not_grow(manager, django_assert_max_num_queries):
    """Rows and their audit records go in batches: only INSERT batches grow, and only where SQLite caps
    the parameters of one statement (999); on PostgreSQL twenty times the items cost the same queries."""
    from django.db import connection

    influencer = InfluencerFactory()
    manager.get(PIECES)  # the principal's first request reads (and caches) the user and its roles
    inserts, others = [], []
    for size in (10, 200):
        pieces = [{**DOC_PIECE, "influencer": influencer.pk, "reach": 1000 + i} for i in range(size)]
        handles = [{"name": f"Bulk_{size}_{i}", "platform": "x"} for i in range(size)]
        with django_assert_max_num_queries(30) as pieces_queries:
            assert manager.post(PIECES, pieces, format="json").status_code == 201
        with django_assert_max_num_queries(30) as handle_queries:
            assert manager.post(INFLUENCERS, handles, format="json").status_code == 201
        statements = [q["sql"] for q in pieces_queries.captured_queries + handle_queries.captured_queries]
        inserts.append(sum(sql.startswith("INSERT") for sql in statements))
        others.append(len(statements) - inserts[-1])
    assert others[1] == others[0]
    if connection.vendor == "postgresql":
        assert inserts[1] == inserts[0]
    else:
        assert inserts[1] - inserts[0] <= 12
