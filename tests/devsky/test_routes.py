"""Every API route answers with and without its trailing slash, POST included, without redirects."""

import re

import pytest
from django.urls import resolve

from devsky.api.routing import route_regex
from devsky.testing.urls import walk

API_PREFIXES = ("^api/v1", "^healthz", "^readyz")


def api_routes():
    return [route for route in walk() if route.regex.startswith(API_PREFIXES)]


def test_the_walk_finds_the_routes():
    names = {route.name for route in api_routes()}
    assert {"api-root", "api-schema", "api-docs", "api-redoc", "healthz", "readyz"} <= names


@pytest.mark.parametrize("route", api_routes(), ids=lambda route: route.name or route.regex)
def test_every_route_matches_with_and_without_trailing_slash(route):
    assert route.name, f"API route {route.regex} has no name"
    path = route.sample_path().rstrip("/")
    bare, slashed = resolve(path), resolve(path + "/")
    assert bare.func is slashed.func
    assert bare.kwargs == slashed.kwargs
    assert bare.url_name == route.name


@pytest.mark.urls("tests.testapp.urls")
def test_router_routes_of_apps_match_both_ways_too():
    routes = [route for route in walk() if route.regex.startswith("^api/v1/test")]
    assert len(routes) >= 4
    for route in routes:
        path = route.sample_path().rstrip("/")
        assert resolve(path).func is resolve(path + "/").func


@pytest.mark.django_db
@pytest.mark.urls("tests.testapp.urls")
@pytest.mark.parametrize("path", ["/api/v1/test/gadgets", "/api/v1/test/gadgets/"])
def test_post_is_served_on_both_forms_without_redirect(user_client, path):
    response = user_client.post(path, {"name": f"g{len(path)}", "size": 3}, format="json")
    assert response.status_code == 201
    assert response.json()["name"] == f"g{len(path)}"


@pytest.mark.parametrize("path", ["/api/v1", "/api/v1/", "/healthz", "/healthz/"])
@pytest.mark.django_db
def test_get_is_served_on_both_forms(client, path):
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    ("route", "matches", "misses"),
    [
        (
            "partnerships/<slug:partnership_id>/status",
            ["partnerships/a_b-1/status", "partnerships/x/status/"],
            ["partnerships//status", "partnerships/a/b/status"],
        ),
        ("meetings/<int:pk>", ["meetings/12", "meetings/12/"], ["meetings/x", "meetings/12//"]),
        ("schema", ["schema", "schema/"], ["schema//", "schemas", "xschema"]),
    ],
)
def test_route_regex(route, matches, misses):

    pattern = re.compile(route_regex(route))
    assert all(pattern.match(path) for path in matches)
    assert not any(pattern.match(path) for path in misses)
