import pytest

from devsky.testing.fake_http import FakeService


@pytest.fixture
def fake_service():
    with FakeService() as service:
        yield service


@pytest.fixture
def quick_http(settings):
    """Short timeouts and backoff, so retry tests take milliseconds."""
    settings.DEVSKY_HTTP_TIMEOUT_SECONDS = 0.5
    settings.DEVSKY_HTTP_MAX_ATTEMPTS = 3
    settings.DEVSKY_HTTP_BACKOFF_SECONDS = 0.01
    settings.DEVSKY_HTTP_MAX_RETRY_AFTER_SECONDS = 2
    return settings
