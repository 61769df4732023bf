"""Factories for users, scopes and tokens (and the countries and organisations they
point to)."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from sdg87.accounts import services
from sdg87.accounts.models import ApiToken, Role, User
from sdg87.countries.models import Country
from sdg87.partners.models import Organisation

TEST_PASSWORD = "correct horse battery staple"


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("iso3",)

    # QAA-QZZ is ISO 3166's user-assigned range: never a real country.
    iso3 = factory.Sequence(lambda n: f"Q{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    iso2 = factory.Sequence(lambda n: f"{n % 100:02d}")
    numeric = factory.Sequence(lambda n: f"{900 + n % 100:03d}")
    name_en = factory.LazyAttribute(lambda country: f"Country {country.iso3}")


def country(iso3: str, name: str = "") -> Country:
    """A real-looking country with a fixed code (FRA, KEN, …)."""
    codes = {"FRA": ("FR", "250", "France"), "KEN": ("KE", "404", "Kenya")}
    iso2, numeric, default_name = codes.get(iso3, (iso3[:2], None, iso3))
    return CountryFactory(
        iso3=iso3,
        iso2=iso2,
        **({"numeric": numeric} if numeric else {}),
        name_en=name or default_name,
    )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    kind = Organisation.Kind.CIVIL_SOCIETY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    role = Role.VIEWER
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def countries(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.countries.set(extracted)


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True


class CuratorFactory(UserFactory):
    role = Role.CURATOR


class FocalPointFactory(UserFactory):
    """A focal point for FRA unless ``countries=[...]`` is given."""

    role = Role.FOCAL_POINT

    @factory.post_generation
    def countries(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.countries.set(extracted if extracted else [country("FRA")])


class PartnerEditorFactory(UserFactory):
    role = Role.PARTNER_EDITOR
    organisation = factory.SubFactory(OrganisationFactory)


def api_token(
    user: User, *, name: str = "script", expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """A token made the way users make them (through the service)."""
    return services.token_create(user=user, name=name, expires_at=expires_at)


def days_from_now(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)
