"""The indicator filter, shared by the indicators page and the API so both answer alike."""

import django_filters
from django import forms

from .forms import IndicatorFilterForm, WordsField
from .models import Authority, Domain, Indicator, LevelNumber, Theme


class WordsFilter(django_filters.CharFilter):
    field_class = WordsField


class IndicatorFilter(django_filters.FilterSet):
    q = WordsFilter(method="filter_words", label="Words in the indicator")
    authority = django_filters.ModelChoiceFilter(
        field_name="domain__authority",
        to_field_name="slug",
        queryset=Authority.objects.all(),
        empty_label="All areas",
    )
    level = django_filters.MultipleChoiceFilter(
        field_name="level__number",
        choices=LevelNumber.choices,
        label="Level",
        widget=forms.CheckboxSelectMultiple,
    )
    domain = django_filters.ChoiceFilter(
        method="filter_domain", label="Domain", choices=[], empty_label="All domains"
    )
    theme = django_filters.MultipleChoiceFilter(
        field_name="domain__theme",
        choices=Theme.choices,
        label="Theme",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Indicator
        fields = ["q", "authority", "level", "domain", "theme"]
        form = IndicatorFilterForm

    def __init__(self, data=None, queryset=None, *, authority=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        domains = Domain.objects.all() if authority is None else authority.domains.all()
        names = dict.fromkeys(domains.order_by("order").values_list("name", flat=True))
        self.filters["domain"].extra["choices"] = [(name, name) for name in names]
        if authority is not None:
            used = set(domains.values_list("theme", flat=True))
            self.filters["theme"].extra["choices"] = [c for c in Theme.choices if c[0] in used]
            # The page is already about one authority.
            del self.filters["authority"]

    def filter_domain(self, queryset, name, value):
        return queryset.in_domain(value)

    def filter_words(self, queryset, name, value):
        return queryset.matching(value)
