"""What the database itself holds to, whichever way a row is written (loader, admin, shell)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from guidance.models import Authority, Contact, Domain, GuidanceSection, Indicator, Level, NextStep

pytestmark = pytest.mark.django_db


def refused_by_the_database():
    return pytest.raises(IntegrityError)


def northshire_domain(name):
    return Domain.objects.published().get(authority__slug="northshire", name=name)


def test_level_numbers_stay_within_1_to_4():
    levels = Level.objects.filter(authority__slug="northshire")
    for number in (0, 5):
        with refused_by_the_database(), transaction.atomic():
            levels.filter(number=4).update(number=number)
    assert sorted(levels.values_list("number", flat=True)) == [1, 2, 3, 4]


def test_level_numbers_are_unique_per_authority():
    northshire = Level.objects.published().get(authority__slug="northshire", number=2).authority
    with refused_by_the_database(), transaction.atomic():
        Level.objects.create(authority=northshire, number=2, name="Again", summary="x")


def test_domain_names_are_unique_per_authority_not_across_authorities():
    health = northshire_domain("Health")
    with refused_by_the_database(), transaction.atomic():
        Domain.objects.create(authority=health.authority, name="Health")
    # Southvale has a "Health" domain of its own.
    assert Domain.objects.published().filter(name="Health").count() == 2


def test_indicator_text_cannot_be_empty():
    health = northshire_domain("Health")
    level = health.authority.levels.get(number=1)
    with refused_by_the_database(), transaction.atomic():
        Indicator.objects.create(domain=health, level=level, text="")


def test_next_step_text_cannot_be_empty():
    level = Level.objects.published().get(authority__slug="northshire", number=1)
    with refused_by_the_database(), transaction.atomic():
        NextStep.objects.create(level=level, heading="Empty", text="")


def test_a_domain_cannot_be_its_own_parent_in_the_database():
    health = northshire_domain("Health")
    with refused_by_the_database(), transaction.atomic():
        Domain.objects.filter(pk=health.pk).update(parent=health.pk)


def test_indicator_level_and_domain_must_share_an_authority():
    southvale_level = Level.objects.published().get(authority__slug="southvale", number=1)
    indicator = Indicator(domain=northshire_domain("Health"), level=southvale_level, text="x")
    with pytest.raises(ValidationError, match="different authorities"):
        indicator.full_clean()


def test_a_domain_and_its_parent_must_share_an_authority():
    southvale_health = Domain.objects.published().get(authority__slug="southvale", name="Health")
    southvale_health.parent = northshire_domain("Parenting Capacity")
    with pytest.raises(ValidationError, match="belongs to another authority"):
        southvale_health.full_clean()


def test_for_authorities_finds_each_models_rows_by_its_authority():
    # The one scoping rule the admin and the rules use: one authority's rows, of every model.
    southvale = Authority.objects.get(slug="southvale")
    expected = {
        Authority: {southvale.pk},
        Level: set(southvale.levels.values_list("pk", flat=True)),
        NextStep: set(
            NextStep.objects.filter(level__authority=southvale).values_list("pk", flat=True)
        ),
        Domain: set(southvale.domains.values_list("pk", flat=True)),
        Indicator: set(
            Indicator.objects.filter(domain__authority=southvale).values_list("pk", flat=True)
        ),
        Contact: set(southvale.contacts.values_list("pk", flat=True)),
        GuidanceSection: set(southvale.sections.values_list("pk", flat=True)),
    }
    for model, pks in expected.items():
        assert pks, model
        for authorities in (
            [southvale.pk],
            [southvale],
            Authority.objects.filter(slug="southvale"),
        ):
            found = set(model.objects.for_authorities(authorities).values_list("pk", flat=True))
            assert found == pks, model
