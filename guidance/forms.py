"""Forms, laid out with the GOV.UK Design System through crispy-forms-gds."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms


class IndicatorFilterForm(forms.Form):
    """The form django-filter builds for the indicators page; a GET form, so state is in the URL."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("q", label_size=Size.SMALL),
            Field.checkboxes("level", legend_size=Size.SMALL, small=True),
            Field.select("domain"),
            Field.checkboxes("theme", legend_size=Size.SMALL, small=True),
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search the guidance of every area",
        help_text="Words in an indicator, for example “missing from school” or “hygiene”",
        max_length=200,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("q", label_size=Size.MEDIUM))

    @property
    def words(self):
        return self.cleaned_data.get("q", "").split() if self.is_valid() else []
