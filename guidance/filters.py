"""The indicator filter, shared by the indicators page and the API so both answer alike."""

import django_filters

from .models import Authority, Indicator, Theme

LEVEL_CHOICES = [(str(n), f"Level {n}") for n in (1, 2, 3, 4)]


class IndicatorFilter(django_filters.FilterSet):
    authority = django_filters.ModelChoiceFilter(
        field_name="domain__authority",
        to_field_name="slug",
        queryset=Authority.objects.all(),
        empty_label="All authorities",
    )
    level = django_filters.MultipleChoiceFilter(field_name="level__number", choices=LEVEL_CHOICES)
    domain = django_filters.CharFilter(method="filter_domain", label="Domain")
    theme = django_filters.MultipleChoiceFilter(field_name="domain__theme", choices=Theme.choices)
    q = django_filters.CharFilter(method="filter_words", label="Words in the indicator")

    class Meta:
        model = Indicator
        fields = ["authority", "level", "domain", "theme", "q"]

    def filter_domain(self, queryset, name, value):
        return queryset.in_domain(value)

    def filter_words(self, queryset, name, value):
        return queryset.matching(value)
