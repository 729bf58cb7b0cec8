from django.http import HttpResponse
from django.views.decorators.http import require_POST
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from devsky.api.conditional import expected_version, set_version_etag, update_versioned
from devsky.api.exceptions import ConflictError
from devsky.api.idempotency import idempotent
from devsky.api.policy import GROUPS
from devsky.api.views import BaseAPIView, BaseViewSet
from tests.testapp.models import Gadget


class GadgetInput(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    size = serializers.IntegerField(min_value=0, max_value=100)


class GadgetOutput(serializers.ModelSerializer):
    class Meta:
        model = Gadget
        fields = ["id", "name", "size", "version"]


class GadgetViewSet(mixins.ListModelMixin, BaseViewSet):
    policy_group = "partnerships"
    queryset = Gadget.objects.all()
    serializer_class = GadgetOutput
    ordering = "id"

    @idempotent
    def create(self, request: Request) -> Response:
        data = GadgetInput(data=request.data)
        data.is_valid(raise_exception=True)
        if Gadget.objects.filter(name=data.validated_data["name"]).exists():
            raise ConflictError("A gadget with this name exists.")
        gadget = Gadget.objects.create(**data.validated_data)
        response = Response(GadgetOutput(gadget).data, status=status.HTTP_201_CREATED)
        response["Location"] = f"/api/v1/test/gadgets/{gadget.pk}"
        return response

    def retrieve(self, request: Request, pk: str) -> Response:
        gadget = self.get_object()
        return set_version_etag(Response(GadgetOutput(gadget).data), gadget.version)

    def update(self, request: Request, pk: str) -> Response:
        data = GadgetInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = update_versioned(
            Gadget.objects.all(), pk=pk, expected=expected_version(request, required=True), values=data.validated_data
        )
        gadget = Gadget.objects.get(pk=pk)
        return set_version_etag(Response(GadgetOutput(gadget).data), version)


class ProbeOutput(serializers.Serializer):
    group = serializers.CharField()
    method = serializers.CharField()


class BoomView(BaseAPIView):
    policy_group = "health"
    serializer_class = ProbeOutput

    def get(self, request: Request) -> Response:
        raise RuntimeError("deliberate failure")


@require_POST
def plain_post_only(request):
    return HttpResponse("ok")


class PolicyProbeView(BaseAPIView):
    """Answers every method with 200, so a test sees exactly what the policy and throttles let through."""

    serializer_class = ProbeOutput

    def _ok(self, request: Request, *args, **kwargs) -> Response:
        return Response({"group": self.policy_group, "method": request.method})

    get = post = put = patch = delete = _ok


PROBE_VIEWS = {group: type(f"{group.title()}Probe", (PolicyProbeView,), {"policy_group": group}) for group in GROUPS}
