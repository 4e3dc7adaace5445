"""Forms, laid out with the GOV.UK Design System through crispy-forms-gds."""

import difflib
import hashlib
from datetime import timedelta
from html import escape as escape_text  # as templates escape, without marking it safe

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe

from .changes import document_changes
from .loader import (
    MAX_DOCUMENT_BYTES,
    DocumentError,
    check_documents,
    export_authority,
    load_documents,
    read_document,
)
from .models import (
    Authority,
    Contact,
    Domain,
    GuidanceSection,
    ImportPreview,
    Indicator,
    LevelNumber,
    NextStep,
    SearchKind,
    Theme,
    records_for_authorities,
)
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
        help_text=(
            "Words in an indicator, contact, next step or guidance section, for example "
            "“domestic abuse”, “MASH” or “consent”"
        ),
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


class SearchPageForm(SearchForm):
    """The search page's form: words, and optionally one area; `kind` comes from the links of
    the counts per kind, and a new search starts again from every kind."""

    q = WordsField(
        label="Search the guidance of every area",
        help_text=(
            "Words in an indicator, contact, next step or guidance section, for example "
            "“domestic abuse”, “MASH” or “consent”"
        ),
    )
    # An area's slug, checked against the published areas in `clean_area` as a ChoiceField
    # checks its choices: a ChoiceField of the 155 areas normalised each choice again for every
    # search (1.5 ms a page).
    area = forms.Field(required=False, label="Area")
    kind = forms.ChoiceField(required=False, choices=[("", "Everything"), *SearchKind.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = Authority.objects.published().order_by("name").values_list("slug", "pk", "name")
        self.authorities = {slug: pk for slug, pk, _ in rows}
        self.area_choices = [("", "All areas"), *((slug, name) for slug, _, name in rows)]
        # The area select is written out by the template from `area_options`: rendered by
        # crispy-forms, 155 options cost 40 ms a page.
        self.helper.layout = Layout(Field.text("q", label_size=Size.MEDIUM))

    def clean_area(self):
        slug = self.cleaned_data["area"] or ""
        if slug and slug not in self.authorities:
            raise ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": slug},
            )
        return slug

    def area_options(self):
        # Escaped as templates escape (html.escape): format_html_join, marking each of the 156
        # parts safe, took 2 ms.
        chosen = self["area"].value() or ""
        return mark_safe(
            "".join(
                f'<option value="{escape_text(value)}"{" selected" if value == chosen else ""}>'
                f"{escape_text(label)}</option>"
                for value, label in self.area_choices
            )
        )

    def clean_q(self):
        text = self.cleaned_data["q"]
        from .search import parse  # search.py reads these forms' words

        if text.strip() and not parse(text):
            raise forms.ValidationError(
                "Enter words to search for: letters or numbers, not only punctuation",
                code="no_words",
            )
        return text


class AreaChoices(forms.models.ModelChoiceIterator):
    """The areas to choose from as (slug, name), read as plain values: as model instances, the
    155 of England cost 3 ms a page."""

    def __iter__(self):
        return iter(self.queryset.values_list(self.field.to_field_name, "name"))


class AreasField(forms.ModelMultipleChoiceField):
    iterator = AreaChoices

    def _check_values(self, value):
        # Django checks the values as a set, so with several unknown areas the one it named
        # changed from run to run; name the first as the address gives them.
        try:
            return super()._check_values(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            known = set(
                self.queryset.filter(**{f"{self.to_field_name}__in": value}).values_list(
                    self.to_field_name, flat=True
                )
            )
            first = next(str(slug) for slug in value if str(slug) not in known)
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": first},
            ) from None


def _attributes(attrs):
    """A widget's attributes as django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape_text(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """Django's select, written out in Python as its templates write it (select.html, one
    select_option.html an option): through the templates, each option cost two template
    renders, and the ten themes' a quarter of the comparison page's time. Named as Django's,
    since crispy-forms-gds gives a widget its GOV.UK class by the widget class's name."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{escape_text(str(widget["name"]))}"{_attributes(widget["attrs"])}>']
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{escape_text(str(group_name))}">')
            html.extend(
                f'\n  <option value="{escape_text(str(option["value"]))}"'
                f"{_attributes(option['attrs'])}>{escape_text(str(option['label']))}</option>\n"
                for option in options
            )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")  # stripped, as Django's form renderer strips
        return mark_safe("".join(html))


class CompareForm(forms.Form):
    """Two to five authorities and one theme (the first if none is chosen: every theme at once
    is a page many screens long); a GET form so the address holds it."""

    authority = AreasField(
        queryset=None,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        label="Areas to compare",
        help_text="Choose between 2 and 5 areas.",
        error_messages={"required": "Choose between 2 and 5 areas to compare"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Authority.objects.published().only("slug", "name")
        self.fields["theme"] = forms.ChoiceField(
            choices=Theme.choices,
            widget=Select,
            required=False,
            label="Theme",
            help_text="A grouping every area shares, so areas can be compared.",
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        # The areas' checkboxes are written out by the template (includes/gds/checkboxes.html):
        # laid out by crispy-forms, 155 of them cost 20 ms a page.
        self.helper.layout = Layout(Field.select("theme"))

    def clean_authority(self):
        authorities = self.cleaned_data["authority"]
        if not 2 <= len(authorities) <= 5:
            raise forms.ValidationError("Choose between 2 and 5 areas to compare")
        return authorities

    def clean_theme(self):
        return self.cleaned_data.get("theme") or Theme.choices[0][0]


class NextStepsCompareForm(CompareForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["theme"]
        self.fields["level"] = forms.TypedChoiceField(
            choices=LevelNumber.choices,
            coerce=int,
            widget=forms.RadioSelect,
            label="Level",
            error_messages={"required": "Choose a level"},
        )
        # The page writes this out with the `inline_radios` filter (the same markup, cheaper).
        self.helper.layout = Layout(Field.radios("level", legend_size=Size.SMALL, inline=True))


class LinesField(forms.Field):
    """A list of short texts (phone numbers, email addresses) edited one a line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def __init__(self, *, line_validator=None, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.line_validator = line_validator

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def validate(self, value):
        # Each line as the loader checks it, so a draft saved here can always be published.
        super().validate(value)
        if self.line_validator is None:
            return
        errors = []
        for number, line in enumerate(value, start=1):
            try:
                self.line_validator(line)
            except ValidationError as error:
                errors += [f"Line {number} ({line[:40]}): {message}" for message in error.messages]
        if errors:
            raise ValidationError(errors)


# --- Admin: importing an authority's YAML file ---------------------------------------------------

# How long an uploaded file waits for "Apply" before it must be uploaded again.
PREVIEW_LIFETIME = timedelta(days=1)


def fingerprint(export):
    """An authority's guidance as it is now, in a few characters: compared at "Apply"."""
    return hashlib.sha256(export.encode()).hexdigest()


def authority_document(authority, name, text):
    """The validated document, which must be this authority's; raises DocumentError."""
    document = read_document(name, text)
    if document.slug != authority.public_slug:
        raise DocumentError(
            [
                f"{name}: authority.slug: this file is for '{document.slug}', "
                f"not '{authority.public_slug}'"
            ]
        )
    check_documents([document])
    return document


class ImportUploadForm(forms.Form):
    """Step one: a YAML file, read and validated into this authority's document, then previewed."""

    file = forms.FileField(
        label="File",
        help_text=(
            "The area's file as “Download the draft as a file” gives it, with your changes made "
            "in a text editor."
        ),
    )

    def __init__(self, *args, authority, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority, self.user = authority, user

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("file")
        if upload is None:
            return cleaned_data
        if upload.size > MAX_DOCUMENT_BYTES:
            # Refused before it is read into memory; the loader would refuse the text anyway.
            raise ValidationError(
                f"{upload.name}: the file is larger than {MAX_DOCUMENT_BYTES // 1024} KB"
            )
        try:
            cleaned_data["text"] = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(f"{upload.name}: the file is not UTF-8 text") from None
        try:
            cleaned_data["document"] = authority_document(
                self.authority, upload.name, cleaned_data["text"]
            )
        except DocumentError as error:
            raise ValidationError(error.messages) from None
        return cleaned_data

    def save(self):
        """Keeps the file on the server for "Apply" (ImportPreview) and returns what the page
        shows: the preview, the loader's report and the difference the file would make."""
        authority, name = self.authority, self.cleaned_data["file"].name
        before = export_authority(authority)
        with transaction.atomic():  # loaded, then rolled back: the effect without keeping it
            document = self.cleaned_data["document"]
            (report,) = load_documents(
                [document], reason="preview", into={document.slug: authority}
            )
            after = export_authority(Authority.objects.get(pk=authority.pk))
            renumbered = _renumbered(authority)
            transaction.set_rollback(True)
        diff = difflib.unified_diff(
            before.splitlines(), after.splitlines(), "current", name, lineterm="", n=2
        )
        # One preview per lead and authority; abandoned previews go once they have expired.
        ImportPreview.objects.filter(authority=authority, user=self.user).delete()
        ImportPreview.objects.filter(created_at__lt=timezone.now() - PREVIEW_LIFETIME).delete()
        preview = ImportPreview.objects.create(
            authority=authority,
            user=self.user,
            file_name=name,
            text=self.cleaned_data["text"],
            fingerprint=fingerprint(before),
        )
        return {
            "preview": preview,
            "report": report,
            "diff": list(diff),
            # Rows that only move to a new position because rows were added or removed above
            # them: counted apart from the rows whose words change.
            "renumbered": renumbered,
            "changed": max(report.updated - renumbered, 0),
            "changes": document_changes(before, after) if before != after else [],
        }


def _renumbered(authority):
    """How many rows the preview's load changed only in their position (inside its transaction:
    the preview's own history records, made with the reason "preview")."""
    count = 0
    for model in (NextStep, Domain, Indicator, Contact, GuidanceSection):
        records = records_for_authorities(
            model.history.filter(history_change_reason="preview", history_type="~"),
            [authority.pk],
        )
        for record in records:
            before = record.prev_record
            if before is not None:
                fields = {change.field for change in record.diff_against(before).changes}
                count += fields == {"order"}
    return count


NO_PREVIEW = (
    "that preview is no longer available (a preview lasts a day, for the person who made it). "
    "Upload the file again to see a fresh preview."
)


class ImportApplyForm(forms.Form):
    """Step two: "Apply" posts only the preview's id, so a large file is not sent back, and the
    file applied is the one previewed, to the authority as it was previewed.

    Its errors say why nothing was imported. Check and apply in one transaction.
    """

    preview = forms.ModelChoiceField(
        queryset=ImportPreview.objects.none(),
        error_messages={"required": NO_PREVIEW, "invalid_choice": NO_PREVIEW},
    )

    def __init__(self, *args, authority, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority = authority
        # Only a preview this lead made of this authority, while it lasts.
        self.fields["preview"].queryset = ImportPreview.objects.filter(
            authority=authority, user=user, created_at__gte=timezone.now() - PREVIEW_LIFETIME
        )

    def clean(self):
        cleaned_data = super().clean()
        preview = cleaned_data.get("preview")
        if preview is None:
            return cleaned_data
        if fingerprint(export_authority(self.authority)) != preview.fingerprint:
            raise ValidationError(
                f"{self.authority}'s guidance has changed since the preview of "
                f"{preview.file_name}, so the preview no longer shows what the file would do. "
                f"Upload the file again to see a fresh preview."
            )
        try:  # validated again: the rules may have changed since the preview
            cleaned_data["document"] = authority_document(
                self.authority, preview.file_name, preview.text
            )
        except DocumentError as error:
            raise ValidationError(" ".join(error.messages)) from None
        return cleaned_data

    def save(self):
        """Loads the previewed file; returns the loader's report."""
        preview = self.cleaned_data["preview"]
        document = self.cleaned_data["document"]
        (report,) = load_documents(
            [document],
            reason=f"admin import of {preview.file_name}",
            into={document.slug: self.authority},
        )
        preview.delete()
        return report


class PublishForm(forms.Form):
    summary = forms.CharField(
        label="What changed, for practitioners",
        help_text=(
            "A sentence or two shown on the area's Changes page and in its feed, for example "
            "“Front Door phone number changed; two level 3 health indicators added.”"
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CompareEditionsForm(forms.Form):
    older = forms.TypedChoiceField(coerce=int, label="From edition")
    newer = forms.TypedChoiceField(coerce=int, label="To edition")

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("older", "newer"):
            self.fields[name].choices = [(n, f"Edition {n}") for n in sorted(numbers)]
