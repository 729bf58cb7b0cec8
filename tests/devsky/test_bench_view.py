"""The benchmark's bare Django view exists only when the setting turns it on."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def test_bare_view_is_a_404_by_default():
    assert Client().get("/bench/bare").status_code == 404


@override_settings(DEVSKY_BENCH_BARE_VIEW=True)
def test_bare_view_answers_json_when_enabled():
    response = Client().get("/bench/bare")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
