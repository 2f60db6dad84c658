"""factory_boy factories for the cast and their data."""

import factory
from django.utils import timezone

from accounts.models import CareRelationship, Role, User

PASSWORD = "calm-river-stone-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    display_name = factory.Faker("first_name")
    role = Role.CLIENT
    timezone = "Europe/Berlin"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ClientFactory(UserFactory):
    role = Role.CLIENT


class TherapistFactory(UserFactory):
    role = Role.THERAPIST
    therapist_approved_at = factory.LazyFunction(timezone.now)
    timezone = "Europe/Berlin"


class StaffFactory(UserFactory):
    role = Role.STAFF
    is_staff = True
    is_superuser = True


class CareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareRelationship

    therapist = factory.SubFactory(TherapistFactory)
    client = factory.SubFactory(ClientFactory)
