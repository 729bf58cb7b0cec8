from django.urls import include, path

from devsky.api.routing import ApiRouter, api_path
from tests.testapp import views

router = ApiRouter()
router.register("test/gadgets", views.GadgetViewSet, basename="test-gadget")

test_api = [
    *router.urls,
    api_path("test/boom", views.BoomView.as_view(), name="test-boom"),
    api_path("test/plain-post", views.plain_post_only, name="test-plain-post"),
    *(
        api_path(f"test/policy/{group}", view.as_view(), name=f"test-policy-{group}")
        for group, view in views.PROBE_VIEWS.items()
    ),
]

urlpatterns = [
    path("api/v1/", include(test_api)),
    path("", include("devsky.urls")),
]
