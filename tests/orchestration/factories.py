import factory
from django.utils import timezone

from orchestration.models import Kpi, MetricSample


class MetricSampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MetricSample

    kpi = factory.LazyFunction(lambda: Kpi.objects.get(partnership_type="technical", key="development_velocity"))
    value = 30.0
    recorded_at = factory.LazyFunction(timezone.now)
    source = "test"
