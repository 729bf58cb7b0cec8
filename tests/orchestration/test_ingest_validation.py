"""The fast path of ingestion validation accepts exactly what the serializers accept, with the same values."""

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration.api.v1.serializers import MetricIngestInput, samples_fast

KEYS = ["partnership", "partnership_type", "metric", "value", "recorded_at", "source", "extra"]
ODD_STRINGS = st.sampled_from(
    ["", " ", "technical", "technical_excellence", " technical ", "a b", "é", "x\n", "x\x00", "2", "-", "_a-b_"]
)
TIMES = st.one_of(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)).map(
        datetime.isoformat
    ),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)).map(datetime.isoformat),
    st.sampled_from(["2026-01-01", "yesterday", "2026-01-01T10:00:00+02:00", "2026-02-30T00:00:00Z", ""]),
)
VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**13), max_value=10**13),
    st.sampled_from([True, False, None, "85", 1e12, -1e12, 1e12 + 1]),
)
ANY = st.one_of(
    ODD_STRINGS,
    VALUES,
    TIMES,
    st.none(),
    st.lists(st.integers(), max_size=1),
    st.dictionaries(st.text(max_size=2), st.none()),
)
ITEM = st.fixed_dictionaries(
    {"metric": st.one_of(ODD_STRINGS, ANY), "value": st.one_of(VALUES, ANY)},
    optional={
        "partnership": st.one_of(ODD_STRINGS, ANY),
        "partnership_type": st.one_of(st.sampled_from(["technical", "brand", "visual", "customer", "x"]), ANY),
        "recorded_at": st.one_of(TIMES, ANY),
        "source": st.one_of(ODD_STRINGS, st.text(max_size=70), ANY),
        "extra": ANY,
    },
)


def serializer_answer(body):
    serializer = MetricIngestInput(data=body)
    if not serializer.is_valid():
        return None
    return [dict(sample) for sample in serializer.validated_data["samples"]]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ITEM, min_size=0, max_size=4))
def test_fast_path_never_disagrees_with_the_serializers(items):
    body = {"samples": items}
    fast = samples_fast(body)
    if fast is not None:
        assert fast == serializer_answer(body)
        assert all(type(sample["value"]) is float for sample in fast)


@given(st.one_of(st.none(), st.integers(), st.text(), st.lists(st.none()), st.dictionaries(st.text(), st.none())))
def test_malformed_bodies_leave_the_fast_path(body):
    assert samples_fast(body) is None


def test_a_typical_batch_takes_the_fast_path_with_the_same_result():
    body = {
        "samples": [
            {"partnership": "technical_excellence", "metric": "system_uptime", "value": 99.9},
            {"partnership_type": "brand", "metric": "brand_sentiment", "value": 87, "source": " survey "},
            {
                "partnership_type": "visual",
                "metric": "session_duration",
                "value": 55.5,
                "recorded_at": "2026-01-02T03:04:05Z",
            },
        ]
    }
    fast = samples_fast(body)
    assert fast is not None
    assert fast == serializer_answer(body)
    assert fast[1]["source"] == "survey" and fast[1]["value"] == 87.0
    assert fast[2]["recorded_at"] == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_unhashable_values_leave_the_fast_path():
    for odd in ({}, [], {"a": None}):
        body = {"samples": [{"partnership_type": odd, "metric": "uptime", "value": 1.0}]}
        assert samples_fast(body) is None
        assert serializer_answer(body) is None
