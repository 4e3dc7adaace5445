"""Forms, laid out with the GOV.UK Design System through crispy-forms-gds."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError

from .models import Authority, Theme
from .validators import validate_no_control_characters

# Every word is one more condition on the query (SQLite refuses about a thousand), and nobody
# searches guidance with more than a few words.
MAX_WORDS = 20
MAX_WORDS_LENGTH = 200


def validate_word_count(value):
    if len(value.split()) > MAX_WORDS:
        raise ValidationError(f"Enter at most {MAX_WORDS} words", code="too_many_words")


class WordsField(forms.CharField):
    """Words that must all appear in an indicator, as typed in a search box."""

    default_validators = [validate_no_control_characters, validate_word_count]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_WORDS_LENGTH)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def run_validators(self, value):
        # One message a field, as GOV.UK asks: a NUL would also fail Django's own check, and a
        # thousand words would also be too long.
        try:
            super().run_validators(value)
        except ValidationError as error:
            raise ValidationError(error.error_list[:1]) from None


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
    q = WordsField(
        label="Search the guidance of every area",
        help_text="Words in an indicator, for example “missing from school” or “hygiene”",
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


class CompareForm(forms.Form):
    """Two to five authorities, and a theme or all themes; a GET form so the address holds it."""

    authority = forms.ModelMultipleChoiceField(
        queryset=None,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        label="Areas to compare",
        help_text="Choose between 2 and 5 areas.",
        error_messages={"required": "Choose between 2 and 5 areas to compare"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Authority.objects.all()
        self.fields["theme"] = forms.ChoiceField(
            choices=[("", "All themes"), *Theme.choices], required=False, label="Theme"
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("authority", legend_size=Size.SMALL, small=True),
            Field.select("theme"),
        )

    def clean_authority(self):
        authorities = self.cleaned_data["authority"]
        if not 2 <= len(authorities) <= 5:
            raise forms.ValidationError("Choose between 2 and 5 areas to compare")
        return authorities


class NextStepsCompareForm(CompareForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["theme"]
        self.fields["level"] = forms.TypedChoiceField(
            choices=[(n, f"Level {n}") for n in (1, 2, 3, 4)],
            coerce=int,
            widget=forms.RadioSelect,
            label="Level",
            error_messages={"required": "Choose a level"},
        )
        self.helper.layout = Layout(
            Field.checkboxes("authority", legend_size=Size.SMALL, small=True),
            Field.radios("level", legend_size=Size.SMALL, small=True, inline=True),
        )


class LinesField(forms.Field):
    """A list of short texts (phone numbers, email addresses) edited one a line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [line.strip() for line in (value or "").splitlines() if line.strip()]
