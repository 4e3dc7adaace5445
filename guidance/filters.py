"""The indicator filter, shared by the indicators page and the API so both answer alike."""

import django_filters
from django import forms
from django.utils.functional import SimpleLazyObject

from .forms import IndicatorFilterForm, WordsField
from .models import Authority, Domain, Indicator, LevelNumber, SearchEntry, SearchKind, Theme
from .search import matching_rows


class WordsFilter(django_filters.CharFilter):
    field_class = WordsField


class IndicatorFilter(django_filters.FilterSet):
    q = WordsFilter(method="filter_words", label="Words in the indicator")
    authority = django_filters.ModelChoiceFilter(
        field_name="domain__authority",
        to_field_name="slug",
        queryset=Authority.objects.published(),
        empty_label="All areas",
    )
    level = django_filters.MultipleChoiceFilter(
        field_name="level__number",
        choices=LevelNumber.choices,
        label="Level",
        widget=forms.CheckboxSelectMultiple,
        # An indicator has one level and one domain: no duplicates to remove, and DISTINCT over
        # every column made PostgreSQL sort all matches (22 of 37 ms at 155 areas).
        distinct=False,
    )
    domain = django_filters.ChoiceFilter(
        method="filter_domain",
        label="Domain",
        choices=[],
        empty_label="All domains",
        help_text="The document’s own headings for its indicators.",
    )
    theme = django_filters.MultipleChoiceFilter(
        field_name="domain__theme",
        choices=Theme.choices,
        label="Theme",
        help_text="A grouping every area shares, so areas can be compared; "
        "a theme can cover several of the document’s headings.",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )

    class Meta:
        model = Indicator
        fields = ["q", "authority", "level", "domain", "theme"]
        form = IndicatorFilterForm

    def __init__(self, data=None, queryset=None, *, authority=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.authority = authority
        if authority is None:
            # Read when a domain is asked for, not for the API's other filters (the names of
            # every area's domains: 1,000 rows at 155 areas).
            names = Domain.objects.published().order_by("order").values_list("name", flat=True)
            self.filters["domain"].extra["choices"] = SimpleLazyObject(
                lambda: [(name, name) for name in dict.fromkeys(names)]
            )
        else:
            # The area's page draws the domain select and the themes: one query for both.
            domains = list(authority.domains.order_by("order").values_list("name", "theme"))
            self.filters["domain"].extra["choices"] = [
                (name, name) for name in dict.fromkeys(name for name, _ in domains)
            ]
            used = {theme for _, theme in domains}
            self.filters["theme"].extra["choices"] = [c for c in Theme.choices if c[0] in used]
            # The area's own level names (its levels are fetched with it: no query).
            self.filters["level"].extra["choices"] = [
                (level.number, f"Level {level.number}: {level.name}")
                for level in authority.levels.all()
            ] or LevelNumber.choices
            # The page is already about one authority.
            del self.filters["authority"]

    def chosen(self):
        """The filters chosen, each as (what it is, the query string without it), for the
        page's removable tags; none while the form has errors (the error summary says why)."""
        if not self.is_valid():
            return []
        data, chosen = self.form.cleaned_data, []
        choices = {
            name: {str(value): label for value, label in self.filters[name].extra["choices"]}
            for name in ("level", "theme")
        }
        if data.get("q"):
            chosen.append((f"Words: {data['q']}", self._without("q", self.data.get("q"))))
        for value in data.get("level") or ():
            chosen.append((choices["level"].get(str(value), value), self._without("level", value)))
        if data.get("domain"):
            chosen.append((f"Domain: {data['domain']}", self._without("domain", data["domain"])))
        for value in data.get("theme") or ():
            label = f"Theme: {choices['theme'].get(value, value)}"
            chosen.append((label, self._without("theme", value)))
        return chosen

    def _without(self, name, value):
        query = self.data.copy()
        query.pop("page", None)
        query.setlist(name, [v for v in query.getlist(name) if v != str(value)])
        return "?" + query.urlencode() if query.urlencode() else "?"

    def filter_domain(self, queryset, name, value):
        return queryset.in_domain(value)

    def filter_words(self, queryset, name, value):
        """Indicators the search engine finds for the words (guidance/search.py: stemmed, with
        the field's synonyms; "quoted phrases" and prefix*), in whatever order the caller asks."""
        if self.authority is not None and self.authority.is_draft:
            found = matching_rows(queryset, SearchKind.INDICATOR, value)
            return queryset.filter(pk__in=found)
        entries = SearchEntry.objects.filter(kind=SearchKind.INDICATOR).matching(value)
        return queryset.filter(pk__in=entries.values("indicator_id"))
