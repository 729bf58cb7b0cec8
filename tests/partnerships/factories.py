import factory
from django.utils import timezone

from partnerships.models import Deliverable, Partnership


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("id",)

    id = factory.Sequence(lambda n: f"partnership_{n}")
    type = "technical"
    name = factory.LazyAttribute(lambda p: f"{p.id} engine")
    ai_partner = "Claude"
    active = False


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    partnership = factory.SubFactory(PartnershipFactory)
    key = factory.Sequence(lambda n: f"deliverable_{n}")
    title = factory.LazyAttribute(lambda d: d.key.replace("_", " ").capitalize())
    completion = 50
    state = "in_progress"
    last_updated = factory.LazyFunction(timezone.now)
