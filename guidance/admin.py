"""Django admin for safeguarding leads: each lead sees and changes only their own authorities.

Three things keep a lead inside their authorities, all driven by `rules.py` (which follows each
model's `authority_path`, the one statement of how a row reaches its authority):
- every queryset (lists, bulk actions, autocomplete, choices of related rows) is scoped;
- every object-level permission asks django-rules with the object;
- another authority's row answers 403 instead of Django's "may have been deleted" redirect.
Every change is recorded by django-simple-history and can be reverted or restored.

Two leads may edit the same row at once. Every change form carries the newest history record of
its row (and of each inline row) as it was when the page was drawn; a save from a page that has
gone stale since is refused, naming who changed the row and when, so nobody's edit is silently
overwritten. Structure is fixed: every authority keeps its four levels, so nobody adds or deletes
a level here, and authorities are added with `manage.py load_thresholds FILE`.
"""

import datetime
import math
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.views.main import ORDER_VAR
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max, Q
from django.forms.models import BaseInlineFormSet, fields_for_model
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from rules.contrib.admin import (
    ObjectPermissionsInlineModelAdminMixin,
    ObjectPermissionsModelAdminMixin,
)
from simple_history.admin import SimpleHistoryAdmin

from . import editions, ordering
from .changes import count_rows, document_changes, word_diff
from .forms import CompareEditionsForm, ImportApplyForm, ImportUploadForm, LinesField, PublishForm
from .loader import export_authority
from .models import (
    Authority,
    Contact,
    Domain,
    GuidanceSection,
    Indicator,
    Level,
    NextStep,
    authority_id_of,
    records_for_authorities,
)
from .rules import can_publish, is_lead, lead_authority_ids, scope
from .validators import validate_email, validate_phone

admin.site.site_header = "Threshold guidance: editing"
admin.site.site_title = "Threshold guidance editing"
admin.site.index_title = "Keep your partnership's guidance current"


# --- Plain words: what a lead reads -------------------------------------------------------------

LABEL_LENGTH = 80  # a row named in a message, title or list is cut at a whole word after this


def cut_words(text, limit=LABEL_LENGTH):
    """Text on one line, cut at a whole word with "…" (never "(UX T")."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    head = head.rsplit(" ", 1)[0] if " " in head else text[:limit]
    return head.rstrip(" ,;:(") + "…"


def label(obj):
    """A row as a lead would name it, cut at a whole word (an indicator by its words, whole)."""
    return cut_words(getattr(obj, "text", None) if isinstance(obj, Indicator) else str(obj))


def when_in_words(moment):
    """'today at 14:02', 'yesterday at 09:15' or 'on 3 March 2026 at 14:02'."""
    local = timezone.localtime(moment)
    days = (timezone.localdate() - local.date()).days
    clock = date_format(local, "H:i")
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"yesterday at {clock}"
    return f"on {date_format(local, 'j F Y')} at {clock}"


def day_in_words(moment):
    """'3 March' this year, '3 March 2024' before."""
    local = timezone.localtime(moment)
    if local.year == timezone.localdate().year:
        return date_format(local, "j F")
    return date_format(local, "j F Y")


EDITION_REASON = re.compile(r"^Edition (\d+)$")
RESTORED_EDITION = re.compile(r"^Edition (\d+) restored into the draft$")
REVERTED = "Reverted to the version of "
RESTORED = "Restored after deletion"


def reason_in_words(record):
    """Why a history record was made, as a lead says it: "Edited", "Imported from dudley.yaml",
    "Reverted to the version of 3 March", "Restored after deletion"."""
    reason = (record.history_change_reason or "").strip()
    kind = {"+": "Added", "~": "Edited", "-": "Deleted"}.get(record.history_type, "Changed")
    if not reason:
        return kind
    if reason.startswith("admin import of "):
        return f"Imported from {reason.removeprefix('admin import of ')}"
    if reason == "load_thresholds":
        return f"{kind} by an administrator loading the area's file"
    if reason == "Draft started":
        return "Draft started from the published edition"
    if reason == "Draft discarded":
        return "Draft put back as the published edition has it"
    if match := RESTORED_EDITION.match(reason):
        return f"Edition {match[1]} put back into the draft"
    if match := EDITION_REASON.match(reason):
        return f"Published as edition {match[1]}"
    return reason


def person_of(record):
    """Who made a change: their email, or 'an administrator' for a command."""
    if record.history_user_id and record.history_user:
        return record.history_user.get_username()
    return "an administrator"


# --- Import errors in a lead's words ------------------------------------------------------------

ERROR_LINE = re.compile(r"^(?P<file>.+?)(?:, line (?P<line>\d+))?: (?P<rest>.*)$", re.S)
PLACE = re.compile(
    r"^(?:top level|[a-z_]+(?:\[\d+\])?(?: '[^']*')?(?:\.[a-z0-9_]+(?:\[\d+\])?(?: '[^']*')?)*)$"
)
PLACE_PART = re.compile(r"(?P<key>[a-z0-9_]+)(?:\[(?P<index>\d+)\])?(?: '(?P<name>[^']*)')?")
ROWS = {
    "levels": "level",
    "next_steps": "next step",
    "domains": "domain",
    "contacts": "contact",
    "sections": "guidance section",
    "phones": "phone number",
    "emails": "email address",
}
FIELDS = {
    "authority": "the area details",
    "slug": "web address name",
    "url": "web address",
    "area": "area covered",
    "parent": "group",
    "kind": "type",
    "body": "text",
    "emergency": "emergency route",
    "strategy_discussion": "strategy discussion",
    "document_title": "document title",
    "emergency_route": "emergency route",
    "source_file": "source",
}


def place_in_words(place):
    """'levels[2].number' -> "the 3rd level's number"; "contacts[0] 'Team'.phones[1]" -> "the
    contact “Team”, its 2nd phone number"."""
    if place == "top level":
        return "the file as a whole"
    words, level = [], None
    for part in PLACE_PART.finditer(place):
        key, index, name = part["key"], part["index"], part["name"]
        if key == "indicators":
            continue
        if key.isdigit():  # indicators by level: "indicators.2[0]"
            level = key
            row = f"the {ordinal(int(index) + 1)} indicator" if index else "the indicators"
            words.append(f"{row} at level {level}")
        elif index is not None:
            noun = ROWS.get(key, key.replace("_", " "))
            words.append(
                f"the {noun} “{name}”" if name else f"the {ordinal(int(index) + 1)} {noun}"
            )
        else:
            words.append(FIELDS.get(key, key.replace("_", " ")))
    if len(words) > 1 and not words[-1].startswith("the "):
        return f"{', '.join(words[:-1])}'s {words[-1]}"
    return ", ".join(words)


def import_error_in_words(message):
    """A loader message (kept as it is for other uses) as a lead reads it, with the line."""
    match = ERROR_LINE.match(message)
    if match is None:
        return message
    line, rest = match["line"], match["rest"]
    if "not valid YAML" in rest or "aliases" in rest or "anchor" in rest:
        rest = (
            "the file's layout is broken here: check the spaces at the start of this line and the "
            "one before, and that each item starts with one dash"
        )
    else:
        place, sep, problem = rest.partition(": ")
        if sep and PLACE.match(place):
            rest = f"{place_in_words(place)}: {problem}"
    return f"Line {line}: {rest}" if line else rest


class EmailLoginForm(AdminAuthenticationForm):
    """The admin sign-in: leads sign in with their email address (their username)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Heard as "Email (your username)": what Django and password managers call it.
        self.fields["username"].label = mark_safe(
            'Email<span class="visually-hidden"> (your username)</span>'
        )
        self.fields["username"].widget.attrs["autocomplete"] = "email"


admin.site.login_form = EmailLoginForm


class FittedTextarea(AdminTextareaWidget):
    """A text box as tall as its text (two lines at least, fifteen at most), not Django's ten.

    `formfield_overrides` is keyed by field class (Django looks a field's class up in it), so the
    old overrides keyed by field instances never matched any field: this is keyed by TextField.
    """

    def get_context(self, name, value, attrs):
        text = str(value or "")
        lines = sum(max(1, math.ceil(len(line) / 90)) for line in text.splitlines() or [""])
        attrs = {**(attrs or {}), "rows": min(max(lines, 2), 15)}
        return super().get_context(name, value, attrs)


FITTED_TEXT = {models.TextField: {"widget": FittedTextarea}}

# Where a row sits among its siblings: the fields a row's list is made of.
SIBLINGS = {
    Indicator: ("domain_id", "level_id"),
    NextStep: ("level_id",),
    Domain: ("authority_id",),
    Contact: ("authority_id",),
    GuidanceSection: ("authority_id",),
}
ORDER_HELP = (
    "Position: where it comes in its list, the lowest number first. Leave empty to put it last."
)


def siblings_of(obj):
    fields = SIBLINGS[type(obj)]
    return type(obj)._default_manager.filter(**{f: getattr(obj, f) for f in fields})


def put_last(obj):
    """Give a row the position after every other row of its list."""
    highest = siblings_of(obj).exclude(pk=obj.pk).aggregate(Max("order"))["order__max"]
    obj.order = 0 if highest is None else highest + 1


def place_of(obj):
    """The list a row sits in, as a lead names it: 'Level 2, Health', 'the contacts'."""
    return {
        Indicator: lambda: f"Level {obj.level.number}, {obj.domain.path}",
        NextStep: lambda: f"the next steps of level {obj.level.number}",
        Domain: lambda: "the domains",
        Contact: lambda: "the contacts",
        GuidanceSection: lambda: "the guidance sections",
    }[type(obj)]()


def where_it_is(obj):
    """'3rd of 12 in Level 2, Health': where a saved row now sits."""
    siblings = siblings_of(obj)
    before = siblings.filter(Q(order__lt=obj.order) | Q(order=obj.order, pk__lt=obj.pk)).count()
    return f"{ordinal(before + 1)} of {siblings.count()} in {place_of(obj)}"


def ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class LeadFormMixin:
    """Form fields as a lead needs them: text boxes sized to their text; an optional position
    (empty puts a new row last, not second as 0 did); and no pencil, "+" or eye icons beside a
    related field, which would offer to change the area or add a level (superusers keep them)."""

    formfield_overrides = FITTED_TEXT

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "order" and db_field.model in SIBLINGS:
            return forms.IntegerField(
                label="Position", required=False, min_value=0, help_text=ORDER_HELP
            )
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and not request.user.is_superuser:
            widget = formfield.widget
            for flag in ("can_add_related", "can_change_related", "can_view_related"):
                if hasattr(widget, flag):
                    setattr(widget, flag, False)
            if hasattr(widget, "can_delete_related"):
                widget.can_delete_related = False
        return formfield


class ScopedChoicesMixin:
    """Related-row choices (levels, domains, authorities) only from the user's authorities, so a
    crafted POST pointing at another authority's row is an invalid choice."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _scope_choices(self, db_field, request, kwargs):
        related = db_field.related_model
        if hasattr(related, "authority_path"):  # a row that belongs to an authority
            kwargs["queryset"] = scope(related._default_manager.all(), request.user)


# --- Stale pages: no lost updates ---------------------------------------------------------------

# The hidden field every change form (and inline row) carries: the newest history record of the
# row when the page was drawn.
SEEN_VERSION = "seen_version"


def newest_changes(model, pks, lock=False):
    """The newest history record of each row, by primary key, in one query.

    History ids only grow, so the largest is the newest. With `lock`, the rows are first locked
    until the request's transaction ends, so two saves of one row at the same moment cannot both
    pass the check (PostgreSQL; SQLite has no row locks but lets only one transaction write).
    """
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return {}
    if lock and transaction.get_connection().in_atomic_block:
        list(model._default_manager.select_for_update(no_key=True).filter(pk__in=pks).values("pk"))
    newest = (
        model.history.filter(id__in=pks).values("id").annotate(newest=Max("history_id"))
    ).values("newest")
    records = model.history.filter(history_id__in=newest).select_related("history_user")
    return {record.id: record for record in records}


def who_and_when(record):
    """'lead@hull.example on 3 May 2025 at 14:02', or the change reason when no user saved it."""
    if record is None:  # the row's history was cleared
        return "someone else"
    who = record.history_user.get_username() if record.history_user else ""
    reason = record.history_change_reason or ""
    if who and reason:
        who = f"{who} ({reason})"
    when = date_format(timezone.localtime(record.history_date), "j M Y \\a\\t H:i")
    return f"{who or reason or 'someone unknown'} on {when}"


class VersionedForm(forms.ModelForm):
    """Refuses a save made from a page that is older than the row's newest change.

    On refusal the user's input stays on the page and the hidden version moves on to the newest
    change, so that saving again, after comparing, deliberately keeps their input.
    """

    seen_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, newest_changes=None, **kwargs):
        super().__init__(*args, **kwargs)
        # An inline formset reads every row's newest change at once and shares it here.
        self._newest_changes = newest_changes
        if self.is_existing_row and not self.is_bound:
            record = self.newest_change()
            self.initial[SEEN_VERSION] = record.history_id if record else None

    @property
    def is_existing_row(self):
        return self.instance.pk is not None and not self.instance._state.adding

    def newest_change(self, lock=False):
        if self._newest_changes is not None:
            return self._newest_changes.get(self.instance.pk)
        return newest_changes(self._meta.model, [self.instance.pk], lock).get(self.instance.pk)

    def clean(self):
        cleaned_data = super().clean()
        if not self.is_existing_row:
            return cleaned_data  # adding a row: nobody else can have changed it
        record = self.newest_change(lock=True)
        newest = record.history_id if record else None
        if cleaned_data.get(SEEN_VERSION) != newest:
            self.data = self.data.copy()
            self.data[self.add_prefix(SEEN_VERSION)] = newest
            name = self._meta.model._meta.verbose_name
            raise ValidationError(
                f"This {name} was changed by {who_and_when(record)}, after you opened this page, "
                f"so your changes were not saved. They are still shown here: compare them with "
                f"the {name}'s history, then save again to keep yours."
            )
        return cleaned_data


class VersionedInlineFormSet(BaseInlineFormSet):
    @cached_property
    def newest_changes(self):
        # One query for every row of the inline, locked when saving.
        pks = [obj.pk for obj in self.get_queryset()]
        return newest_changes(self.model, pks, lock=self.is_bound)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "newest_changes": self.newest_changes}


class VersionedAdminMixin:
    """Adds the hidden version to the change form (and inline rows) of an existing row.

    The fields shown are the model's, in the model's order, unless an admin lists them itself.
    Read-only ones keep their place (Django's default would move them last, and would also show
    the hidden version, which only an existing row has).
    """

    form = VersionedForm

    def get_fields(self, request, obj=None):
        if self.fields:
            return self.fields
        return list(fields_for_model(self.model, exclude=self.get_exclude(request, obj)))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets  # an add form has no earlier version to compare with
        *first, (name, options) = fieldsets
        return [*first, (name, {**options, "fields": [*options["fields"], SEEN_VERSION]})]


# --- Scoping to the lead's authorities ----------------------------------------------------------


class ScopedInline(
    LeadFormMixin, VersionedAdminMixin, ScopedChoicesMixin, ObjectPermissionsInlineModelAdminMixin
):
    extra = 0
    show_change_link = True
    formset = VersionedInlineFormSet

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)


class ScopedAdmin(
    LeadFormMixin,
    VersionedAdminMixin,
    ScopedChoicesMixin,
    ObjectPermissionsModelAdminMixin,
    SimpleHistoryAdmin,
):
    change_list_template = "admin/guidance/change_list.html"
    object_history_template = "admin/guidance/object_history.html"
    object_history_form_template = "admin/guidance/object_history_form.html"
    # The filters of the list that shows a row (see `list_where`), by the row's own values.
    place_filters = {}

    def has_module_permission(self, request):
        return request.user.is_superuser or is_lead(request.user)

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            field = from_field or self.opts.pk.attname
            try:
                exists = self.model._default_manager.filter(**{field: object_id}).exists()
            except (ValidationError, ValueError):
                exists = False
            # Another authority's row is forbidden; a row that never was is simply not found.
            if exists:
                raise PermissionDenied
            raise Http404(f"No {self.opts.verbose_name} with ID {object_id}")
        return obj

    def save_model(self, request, obj, form, change):
        # Defence in depth: the choices are scoped, and the row itself must stay in scope.
        if not request.user.is_superuser and authority_id_of(obj) not in lead_authority_ids(
            request.user
        ):
            raise PermissionDenied
        if getattr(obj, "order", 0) is None:  # no position given: last in its list
            put_last(obj)
        elif (
            change
            and type(obj) is Indicator
            and {"domain", "level"} & set(form.changed_data)
            and "order" not in form.changed_data
        ):
            put_last(obj)  # moved to another list: last there, unless a position was given
        reason = getattr(request, "_history_reason", None)
        if reason:
            obj._change_reason = reason
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        # New inline rows without a position go last, as new rows do on their own page.
        for row_form in formset.forms:
            row = row_form.instance
            if getattr(row, "order", 0) is None and type(row) in SIBLINGS:
                setattr(row, formset.fk.attname, form.instance.pk)
                put_last(row)
        super().save_formset(request, form, formset, change)

    # --- Where a lead lands after saving ---------------------------------------------------------

    def list_where(self, obj, highlight=True):
        """The list filtered to the row's place (its area, level, domain), the row marked."""
        params = {name: value(obj) for name, value in self.place_filters.items()}
        if highlight:
            params["saved"] = obj.pk
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return (
            f"{url}?{urlencode(params)}#row-{obj.pk}" if highlight else f"{url}?{urlencode(params)}"
        )

    def changelist_view(self, request, extra_context=None):
        # `saved` marks the row just saved; it is not a filter of the list.
        if "saved" in request.GET:
            request.GET = request.GET.copy()
            saved = request.GET.pop("saved")[-1]
            request._saved_pk = int(saved) if saved.isdigit() else None
        extra_context = {"title": self.changelist_view_title(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_list_display(self, request):
        first, *rest = super().get_list_display(request)
        saved = getattr(request, "_saved_pk", None)
        name = first if isinstance(first, str) else getattr(first, "__name__", "")

        def row(obj):
            value = getattr(obj, name) if name and name != "__str__" else obj
            text = label(obj) if name in ("text", "__str__") else str(value)
            if obj.pk == saved:
                return format_html(
                    '<span id="row-{}" class="saved-row">{}</span> <strong class="saved-tag">'
                    "just saved</strong>",
                    obj.pk,
                    text,
                )
            return format_html('<span id="row-{}">{}</span>', obj.pk, text)

        field = self.model._meta.get_field(name) if name in self._field_names() else None
        row.short_description = (
            field.verbose_name.capitalize() if field else self.opts.verbose_name.capitalize()
        )
        if field is not None:
            row.admin_order_field = name
        return [row, *rest]

    def get_list_display_links(self, request, list_display):
        return [list_display[0]]

    def _field_names(self):
        return {f.name for f in self.model._meta.get_fields()}

    def _message_and_redirect(self, request, obj, verb):
        where = ""
        if hasattr(obj, "order") and type(obj) in SIBLINGS:
            where = f" It is {where_it_is(obj)}."
        name = self.opts.verbose_name
        reason = getattr(request, "_history_reason", None)
        if reason == RESTORED:
            text = f"The {name} “{label(obj)}” is back, as it was before it was deleted."
        elif reason:
            text = (
                f"The {name} “{label(obj)}” is back as it was on {reason.removeprefix(REVERTED)}."
            )
        else:
            text = f"The {name} “{label(obj)}” was {verb}.{where}"
        if "_continue" in request.POST:
            self.message_user(request, f"{text} You can go on editing it below.", messages.SUCCESS)
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
            )
        if "_viewdraft" in request.POST:
            self.message_user(
                request, f"{text} This is the draft page that shows it.", messages.SUCCESS
            )
            return HttpResponseRedirect(self.view_on_site(obj))
        self.message_user(request, text, messages.SUCCESS)
        if self.has_view_or_change_permission(request):
            return HttpResponseRedirect(self.list_where(obj))
        return HttpResponseRedirect(reverse("admin:index"))

    def response_change(self, request, obj):
        if IS_POPUP_VAR in request.POST or {"_addanother", "_saveasnew"} & set(request.POST):
            return super().response_change(request, obj)
        return self._message_and_redirect(request, obj, "saved in the draft")

    def response_add(self, request, obj, post_url_continue=None):
        if IS_POPUP_VAR in request.POST or {"_addanother", "_saveasnew"} & set(request.POST):
            return super().response_add(request, obj, post_url_continue)
        return self._message_and_redirect(request, obj, "added to the draft")

    def response_delete(self, request, obj_display, obj_id):
        # Named from its last record in whole words (obj_display is cut mid-word), with the way
        # back.
        record = self.model.history.filter(id=obj_id).order_by("-history_id").first()
        if record is not None:
            obj_display = label(record.instance)
        if IS_POPUP_VAR in request.POST:
            return super().response_delete(request, obj_display, obj_id)
        # The way back at once ("Restore it"), and for later.
        restore = (
            format_html(
                ' <a href="{}">Restore it</a>.',
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_simple_history",
                    args=[obj_id, record.history_id],
                ),
            )
            if record is not None
            else ""
        )
        self.message_user(
            request,
            format_html(
                "The {} “{}” was deleted from the draft.{} Later: “Restore deleted {}” above the "
                "list.",
                self.opts.verbose_name,
                obj_display,
                restore,
                self.opts.verbose_name_plural,
            ),
            messages.SUCCESS,
        )
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return HttpResponseRedirect(url)

    def changelist_view_title(self, request):
        return str(self.opts.verbose_name_plural).capitalize()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["subtitle"] = label(obj)  # the page title, cut at a whole word
        # "Save and view the draft page" (submit_line.html): on a row with a draft page, and on
        # adding one (the new row's page is known once it is saved).
        context["offers_view_draft"] = (
            self.get_view_on_site_url(obj) is not None
            if change
            else add and hasattr(self.model, "get_absolute_url")
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def view_on_site(self, obj):
        """The draft's page where the row is shown (only its leads can open it)."""
        return obj.get_absolute_url()

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="{}_{}_deleted".format(*info),
            ),
            path(
                "<int:object_id>/history/<int:version_id>/undo/",
                self.admin_site.admin_view(self.undo_view),
                name="{}_{}_undo".format(*info),
            ),
            *super().get_urls(),
        ]

    def deleted_view(self, request):
        """Rows deleted from the user's authorities, each with a link to restore it."""
        # Restoring a row adds it again, so it needs the permission to add.
        if not (self.has_view_permission(request) and self.has_add_permission(request)):
            raise PermissionDenied
        live = self.model._default_manager.values_list("pk", flat=True)
        records = self.model.history.filter(history_type="-").exclude(id__in=live)
        if not request.user.is_superuser:  # scoped in the database, as the lists are
            records = records_for_authorities(records, lead_authority_ids(request.user))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Deleted {self.opts.verbose_name_plural}",
            "records": records.select_related("history_user").order_by("-history_date")[:200],
        }
        return TemplateResponse(request, "admin/guidance/deleted.html", context)

    # --- History a person can read -----------------------------------------------------------

    def _row_for_history(self, request, object_id):
        """The row (or, once deleted, its last record's copy) if the user may see it."""
        if not str(object_id).isdigit():
            raise Http404("No such row")
        if self.model._default_manager.filter(pk=object_id).exists():
            return self.get_object(request, object_id)  # another area's row: 403
        record = self.model.history.filter(id=object_id).order_by("-history_id").first()
        if record is None:
            raise Http404("No such row")
        obj = record.instance
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return obj

    def history_view(self, request, object_id, extra_context=None):
        """Each change to a row as a person reads it: what changed, word by word; who and when;
        why; and a button to undo it."""
        obj = self._row_for_history(request, object_id)
        records = one_record_per_save(
            self.model.history.filter(id=obj.pk)
            .select_related("history_user")
            .order_by("-history_id")[: HISTORY_PAGE * 2]
        )[: HISTORY_PAGE + 1]
        exists = self.model._default_manager.filter(pk=obj.pk).exists()
        may_change = exists and self.has_change_permission(request, obj)
        entries = history_entries(records, self.model)[:HISTORY_PAGE]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": f"History of “{label(obj)}”",
            "entries": entries,
            "exists": exists,
            "may_undo": may_change,
            "newest": records[0].history_id if records else None,
            "more": len(records) > HISTORY_PAGE,
        }
        context.update(extra_context or {})
        return TemplateResponse(request, self.object_history_template, context)

    def undo_view(self, request, object_id, version_id):
        """Undo one change: the row goes back to the record before it, through the same
        stale-page check as a save (the page's newest change must still be the newest)."""
        history_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[object_id]
        )
        if request.method != "POST":
            return redirect(history_url)
        obj = self.get_object(request, str(object_id))  # another area's: 403; gone: 404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        record = get_object_or_404(self.model.history, id=obj.pk, history_id=version_id)
        before = previous_saves(self.model, [record]).get(record.history_id)
        if record.history_type != "~" or before is None:
            raise Http404("Only an edit can be undone here")
        name = self.opts.verbose_name
        with transaction.atomic():
            newest = newest_changes(self.model, [obj.pk], lock=True).get(obj.pk)
            seen = request.POST.get(SEEN_VERSION, "")
            if newest is None or str(newest.history_id) != seen:
                messages.error(
                    request,
                    f"This {name} was changed by {who_and_when(newest)}, after you opened this "
                    "page, so nothing was undone. Its newest change is now at the top: undo "
                    "again if you still want to.",
                )
                return redirect(history_url)
            restored = before.instance
            if not request.user.is_superuser and authority_id_of(restored) not in (
                lead_authority_ids(request.user)
            ):
                raise PermissionDenied
            restored._history_user = request.user
            restored._change_reason = f"{REVERTED}{day_in_words(before.history_date)}"
            restored.save()
            if self.model is Contact:
                restored.levels.set([row.level_id for row in before.levels.all()])
        messages.success(
            request,
            f"Undone: the {name} “{label(restored)}” is back as it was "
            f"{when_in_words(before.history_date)}.",
        )
        return redirect(history_url)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Go back to an earlier version of a row, or restore a deleted row.

        Going back is a deliberate overwrite, but of the row as it was when the page was opened:
        the stale-page check applies as on the change form.
        """
        if not (object_id.isdigit() and version_id.isdigit()):
            raise Http404("No such version")
        restoring = not self.model._default_manager.filter(pk=object_id).exists()
        if restoring and not self.has_add_permission(request):
            raise PermissionDenied  # restoring a deleted row adds it again
        record = self.model.history.filter(id=object_id, history_id=version_id).first()
        if record is not None and request.method == "POST":
            request._history_reason = (
                RESTORED if restoring else f"{REVERTED}{day_in_words(record.history_date)}"
            )
        context = {
            "restoring": restoring,
            "record_when": when_in_words(record.history_date) if record else "",
            **(extra_context or {}),
        }
        with transaction.atomic():  # the save, its history and the check together
            return super().history_form_view(request, object_id, version_id, context)

    def history_form_view_title(self, request, obj):
        if not self.model._default_manager.filter(pk=obj.pk).exists():
            return f"Restore the deleted {self.opts.verbose_name} “{label(obj)}”"
        return f"Go back to an earlier version of “{label(obj)}”"


HISTORY_PAGE = 100
RECENT_PAGE = 100
RECENT_MODELS = (Authority, Level, NextStep, Domain, Indicator, Contact, GuidanceSection)


def same_save(newer, older):
    """Whether two records of a row come from one save: saving a contact records the row, then
    again its levels (simple_history records many-to-many changes as records of their own)."""
    return (
        newer.history_type == older.history_type == "~"
        and newer.history_user_id == older.history_user_id
        and newer.history_change_reason == older.history_change_reason
        and abs((newer.history_date - older.history_date).total_seconds()) < 2
    )


def one_record_per_save(records):
    """Records of one row, newest first, keeping the last record of each save."""
    kept = []
    for record in records:
        if kept and same_save(kept[-1], record):
            continue  # the newer record holds the save's result
        kept.append(record)
    return kept


def _shown(field, value, related):
    """A recorded value as the pages show it."""
    if value is None or value == "":
        return ""
    if field.many_to_many:
        ids = sorted(row.get(field.m2m_reverse_field_name()) for row in value or [])
        return ", ".join(related.get((field.related_model, pk), f"#{pk}") for pk in ids)
    if field.is_relation:
        return related.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value)


def _related_labels(model, pairs):
    """Labels of the rows that recorded foreign keys point at, a query per related model (rows
    since deleted are named from their last record)."""
    wanted = {}
    for field, value in pairs:
        if field.many_to_many:
            for row in value or []:
                wanted.setdefault(field.related_model, set()).add(
                    row.get(field.m2m_reverse_field_name())
                )
        elif field.is_relation and value is not None:
            wanted.setdefault(field.related_model, set()).add(value)
    labels = {}
    for related, pks in wanted.items():
        for row in related._default_manager.filter(pk__in=pks):
            labels[(related, row.pk)] = f"Level {row.number}" if related is Level else label(row)
        missing = pks - {pk for (m, pk) in labels if m is related}
        if missing and hasattr(related, "history"):
            for record in related.history.filter(id__in=missing).order_by("history_id"):
                labels[(related, record.id)] = label(record.instance)
    return labels


def history_entries(records, model):
    """Each record (newest first) as a person reads it; the record after the last, if given, is
    only the one before it. Changed texts are marked word by word (changes.word_diff)."""
    pairs = [
        (record, records[i + 1] if i + 1 < len(records) else None)
        for i, record in enumerate(records)
    ]
    return change_entries(pairs, model)


def _many_to_many_rows(model, fields, records):
    """{(field name, history_id): the related ids the record holds, sorted} for the history's
    many-to-many `fields` (a contact's levels), a query per field for all the records:
    simple_history's own diff asks twice per pair."""
    rows = {}
    if not records:
        return rows
    for field in fields:
        target = model._meta.get_field(field.name).m2m_reverse_field_name()
        through = getattr(records[0], field.name).model
        for history_id, related_id in (
            through.objects.filter(history__in=[r.history_id for r in records])
            .order_by(target)
            .values_list("history_id", target)
        ):
            rows.setdefault((field.name, history_id), []).append(related_id)
    return rows


def change_entries(pairs, model):
    """(record, the record before it or None) pairs as a person reads them, with the labels of
    the rows their keys point at read once for all of them (a query per related model)."""
    m2m_fields = getattr(model.history.model, "_history_m2m_fields", [])
    m2m_names = [field.name for field in m2m_fields]
    compared = [r for record, before in pairs if before is not None for r in (record, before)]
    m2m_rows = _many_to_many_rows(model, m2m_fields, compared)
    diffs, values = [], []
    for record, before in pairs:
        changes = []
        if before is not None and record.history_type == "~":
            diff = record.diff_against(
                before, excluded_fields=m2m_names, foreign_keys_are_objs=False
            )
            for change in diff.changes:
                field = model._meta.get_field(change.field)
                changes.append((field, change.old, change.new))
            for name in m2m_names:
                field = model._meta.get_field(name)
                key = field.m2m_reverse_field_name()
                old = m2m_rows.get((name, before.history_id), [])
                new = m2m_rows.get((name, record.history_id), [])
                if old != new:
                    changes.append((field, [{key: pk} for pk in old], [{key: pk} for pk in new]))
            values += [(field, old) for field, old, _new in changes]
            values += [(field, new) for field, _old, new in changes]
        diffs.append((record, before, changes))
    related = _related_labels(model, values)
    entries = []
    for record, before, changes in diffs:
        shown = []
        for field, old, new in changes:
            name = "Position" if field.name == "order" else str(field.verbose_name).capitalize()
            old, new = _shown(field, old, related), _shown(field, new, related)
            shown.append({"field": name, "diff": word_diff(old, new)})
        entries.append(
            {
                "record": record,
                "what": label(record.instance),
                "kind": record.history_type,
                "reason": reason_in_words(record),
                "who": person_of(record),
                "when": when_in_words(record.history_date),
                "changes": shown,
                "undoable": record.history_type == "~" and before is not None,
                "before_when": when_in_words(before.history_date) if before else "",
            }
        )
    return entries


def previous_saves(model, records):
    """{history_id: the record before the save that made it (the row as it was before that
    save)} for the changed records of `model`, in one query however many."""
    changed = [record for record in records if record.history_type == "~"]
    if not changed:
        return {}
    older = {}
    for record in model.history.filter(
        id__in={r.id for r in changed}, history_id__lt=max(r.history_id for r in changed)
    ).order_by("-history_id"):
        older.setdefault(record.id, []).append(record)
    return {
        record.history_id: next(
            (
                before
                for before in older.get(record.id, [])
                if before.history_id < record.history_id and not same_save(record, before)
            ),
            None,
        )
        for record in changed
    }


class NextStepInline(ScopedInline, admin.StackedInline):
    model = NextStep


class LevelFormSet(VersionedInlineFormSet):
    """The level rows of an area's page: each box names its level ("Name of level 2"), as the
    table's column headers do not reach a screen reader inside a form (axe: label)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        number = form.instance.number
        for name in ("name", "summary"):
            if name in form.fields and number:
                field = form.fields[name]
                field.widget.attrs["aria-label"] = f"{field.label} of level {number}"


class LevelInline(ScopedInline, admin.TabularInline):
    model = Level
    formset = LevelFormSet
    # No empty column headers and no Delete column (edit_inline/level_tabular.html).
    template = "admin/guidance/edit_inline/level_tabular.html"
    # A compact row per level on the authority's page; the long definition is on the level's own.
    fields = ["number", "name", "summary"]
    readonly_fields = ["number"]
    can_delete = False
    max_num = 4

    def has_add_permission(self, request, obj=None):
        return False  # every authority has exactly its four levels


@admin.register(Authority)
class AuthorityAdmin(ScopedAdmin):
    list_display = ["name", "partnership", "edition"]
    search_fields = ["name", "partnership", "document_title"]
    inlines = [LevelInline]
    change_form_template = "admin/guidance/authority/change_form.html"
    change_list_template = "admin/guidance/authority/change_list.html"

    def has_add_permission(self, request):
        # Not even for superusers: an authority added here would have no levels. The list says
        # to load its file with `manage.py load_thresholds FILE` instead. Superusers may delete.
        return False

    def get_exclude(self, request, obj=None):
        # Only a superuser changes who leads an authority and who publishes it (and the name of
        # the file the document was transcribed from, which means nothing to a lead).
        if request.user.is_superuser:
            return None
        return ["leads", "approvers", "single_lead", "source_file"]

    def delete_model(self, request, obj):
        # The admin shows drafts; deleting one deletes its area, published pages and all (the
        # draft goes with its published authority).
        obj.draft_of.delete()

    def delete_queryset(self, request, queryset):
        for draft in queryset.select_related("draft_of"):
            draft.draft_of.delete()

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Levels go with their authority (for those who may delete one): the only way a level
        # is ever deleted.
        perms_needed.discard(Level._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def get_readonly_fields(self, request, obj=None):
        # Nobody renames an area's address here: every permalink and saved page holds it.
        return ["slug"]

    def get_urls(self):
        return [
            path(
                "<int:pk>/yaml/",
                self.admin_site.admin_view(self.download_yaml),
                name="guidance_authority_yaml",
            ),
            path(
                "<int:pk>/import/",
                self.admin_site.admin_view(self.import_yaml),
                name="guidance_authority_import",
            ),
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="guidance_authority_publish",
            ),
            path(
                "<int:pk>/discard/",
                self.admin_site.admin_view(self.discard_view),
                name="guidance_authority_discard",
            ),
            path(
                "<int:pk>/editions/",
                self.admin_site.admin_view(self.editions_view),
                name="guidance_authority_editions",
            ),
            path(
                "<int:pk>/recent/",
                self.admin_site.admin_view(self.recent_view),
                name="guidance_authority_recent",
            ),
            path(
                "<int:pk>/editions/<int:number>.yaml",
                self.admin_site.admin_view(self.edition_yaml),
                name="guidance_authority_edition_yaml",
            ),
            path(
                "<int:pk>/editions/<int:number>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="guidance_authority_restore",
            ),
            *super().get_urls(),
        ]

    def _editable_authority(self, request, pk):
        """A draft the user may edit (published authorities change only by publishing)."""
        authority = get_object_or_404(Authority.objects.drafts(), pk=pk)
        if not self.has_change_permission(request, authority):
            raise PermissionDenied
        return authority

    def _page(self, request, draft, title, template, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": draft,
            "published": draft.draft_of,
            "title": title,
            **context,
        }
        return TemplateResponse(request, f"admin/guidance/authority/{template}", context)

    def publish_view(self, request, pk):
        """What the draft changes against the published edition, with each changed text marked
        word by word; publishing it (approvers) or discarding it."""
        draft = self._editable_authority(request, pk)
        published = draft.draft_of
        may_publish = can_publish(request.user, published)
        form = PublishForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if not may_publish:
                raise PermissionDenied
            if form.is_valid():
                try:
                    edition = editions.publish(
                        published, form.cleaned_data["summary"], approver=request.user
                    )
                except editions.PublishingRefused as refusal:
                    form.add_error(None, str(refusal))
                else:
                    messages.success(
                        request,
                        f"Published edition {edition.number} of {published}: the public pages "
                        "show it now.",
                    )
                    return redirect("admin:guidance_authority_editions", draft.pk)
        old, new = editions.pending(published)
        changes = document_changes(old, new) if old != new else []
        return self._page(
            request,
            draft,
            f"Changes waiting to be published in {published}",
            "publish.html",
            changes=changes,
            counts=count_rows(changes),
            latest=published.editions.first(),
            may_publish=may_publish,
            form=form,
            preparers=editions.preparer_names(published) if changes else "",
            problems=editions.problems(published, new) if changes else [],
        )

    def discard_view(self, request, pk):
        draft = self._editable_authority(request, pk)
        if request.method != "POST":
            return redirect("admin:guidance_authority_publish", draft.pk)
        editions.discard_draft(draft.draft_of)
        messages.success(
            request, f"The draft of {draft} is back to the published edition; nothing waits."
        )
        return redirect("admin:guidance_authority_publish", draft.pk)

    def editions_view(self, request, pk):
        draft = self._editable_authority(request, pk)
        published = draft.draft_of
        numbers = list(published.editions.values_list("number", flat=True))
        compare = CompareEditionsForm(request.GET or None, numbers=numbers)
        changes = None
        if compare.is_valid():
            older, newer = (
                published.editions.get(number=compare.cleaned_data[name])
                for name in ("older", "newer")
            )
            changes = document_changes(older.document, newer.document)
        return self._page(
            request,
            draft,
            f"Editions of {published}",
            "editions.html",
            editions=published.editions.all(),
            compare=compare,
            changes=changes,
        )

    def recent_view(self, request, pk):
        """Every change to the area's draft, newest first, whoever made it (imports, restores
        and publications included): filterable by person and by day."""
        draft = self._editable_authority(request, pk)
        person = request.GET.get("person", "")
        day = request.GET.get("day", "")
        try:
            day = datetime.date.fromisoformat(day) if day else None
        except ValueError:
            day = None
        found, people = [], {}
        for model in RECENT_MODELS:
            records = records_for_authorities(model.history.all(), [draft.pk])
            for user_id, email in records.values_list(
                "history_user_id", "history_user__username"
            ).distinct():
                people[str(user_id or "none")] = email or "an administrator"
            if person == "none":
                records = records.filter(history_user__isnull=True)
            elif person.isdigit():
                records = records.filter(history_user_id=int(person))
            if day is not None:
                start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
                records = records.filter(
                    history_date__gte=start, history_date__lt=start + datetime.timedelta(days=1)
                )
            newest_of_row = {}
            for record in records.select_related("history_user").order_by("-history_id")[
                : RECENT_PAGE * 2
            ]:
                newer = newest_of_row.get(record.id)
                newest_of_row[record.id] = record
                if newer is not None and same_save(newer, record):
                    continue  # the same save as the newer record of the row
                found.append((model, record))
        found.sort(key=lambda pair: pair[1].history_date, reverse=True)
        # Read for the whole page at once: the record before each change, and the labels.
        page = found[:RECENT_PAGE]
        of_model = {}
        for model, record in page:
            of_model.setdefault(model, []).append(record)
        entry_of = {}
        for model, records in of_model.items():
            before = previous_saves(model, records)
            pairs = [(record, before.get(record.history_id)) for record in records]
            for record, entry in zip(records, change_entries(pairs, model), strict=True):
                entry_of[(model, record.history_id)] = entry
        entries = []
        for model, record in page:
            entry = entry_of[(model, record.history_id)]
            entry["model"] = model._meta.verbose_name.capitalize()
            entry["history_url"] = reverse(
                f"admin:guidance_{model._meta.model_name}_history", args=[record.id]
            )
            entries.append(entry)
        return self._page(
            request,
            draft,
            f"Recent changes in {draft}",
            "recent.html",
            entries=entries,
            people=sorted(people.items(), key=lambda item: item[1]),
            person=person,
            day=day.isoformat() if day else "",
            more=len(found) > RECENT_PAGE,
        )

    def edition_yaml(self, request, pk, number):
        draft = self._editable_authority(request, pk)
        edition = get_object_or_404(draft.draft_of.editions, number=number)
        response = HttpResponse(edition.document, content_type="application/yaml")
        name = f"{draft.public_slug}-edition-{edition.number}.yaml"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def restore_view(self, request, pk, number):
        draft = self._editable_authority(request, pk)
        edition = get_object_or_404(draft.draft_of.editions, number=number)
        if request.method != "POST":
            return redirect("admin:guidance_authority_editions", draft.pk)
        editions.restore(edition)
        messages.success(
            request,
            f"Edition {edition.number} is now in the draft of {draft}. Check it, then an "
            "approver publishes it.",
        )
        return redirect("admin:guidance_authority_publish", draft.pk)

    def download_yaml(self, request, pk):
        authority = self._editable_authority(request, pk)
        response = HttpResponse(export_authority(authority), content_type="application/yaml")
        response["Content-Disposition"] = f'attachment; filename="{authority.slug}.yaml"'
        return response

    def import_yaml(self, request, pk):
        """Upload a YAML file, preview what it would add, change and remove, then apply it.

        The upload is kept on the server between the two steps (ImportPreview): "Apply" posts only
        the preview's id, so a large file is not sent back, and the file applied is the one
        previewed, to the authority as it was previewed.
        """
        authority = self._editable_authority(request, pk)
        if "apply" in request.POST:
            return self._apply_import(request, authority)
        data = (request.POST, request.FILES) if request.method == "POST" else ()
        form = ImportUploadForm(*data, authority=authority, user=request.user)
        valid = form.is_valid()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": authority,
            "title": f"Import an edited file for {authority}",
            "form": form,
            "errors_in_words": [
                (import_error_in_words(error), error) for error in form.non_field_errors()
            ],
            **(form.save() if valid else {}),
        }
        return TemplateResponse(request, "admin/guidance/import.html", context)

    def _apply_import(self, request, authority):
        form = ImportApplyForm(request.POST, authority=authority, user=request.user)
        with transaction.atomic():  # the checks and the load see the same guidance
            report = form.save() if form.is_valid() else None
        if report is None:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, f"Nothing was imported: {error}")
            return redirect("admin:guidance_authority_import", authority.pk)
        messages.success(
            request,
            f"Imported {form.cleaned_data['preview'].file_name} into the draft: "
            f"{report.created} added, {report.updated} changed, {report.removed} removed.",
        )
        return redirect("admin:guidance_authority_change", authority.pk)


# --- Putting a list in order: drag and drop, Move up and Move down ------------------------------

ORDER_HINT = "Drag a row to put it in order, or use Move up and Move down."
ORDER_HINT_NO_SCRIPT = "Use Move up and Move down to put the rows in order."
# What to choose in the filter to get a list that can be put in order, by model.
ORDER_HOW_TO = {
    Indicator: "Indicators are put in order within one domain at one level. To put them in "
    "order, choose one level and one domain in the filter.",
    NextStep: "Next steps are put in order within one level of one area. To put them in order, "
    "choose one area and one level in the filter.",
    Domain: "To put domains in order, choose one area in the filter.",
    Contact: "To put contacts in order, choose one area in the filter.",
    GuidanceSection: "To put guidance sections in order, choose one area in the filter.",
}
MOVE = re.compile(r"^(?P<direction>up|down):(?P<pk>\d{1,12})$")
ORDER_IDS_LIMIT = 1000  # more rows than any list has; a longer post is refused unread


class OrderAdminMixin:
    """Lists whose rows have an order (`SIBLINGS`) can be put in order where the list shows one
    whole group: drag a row (static/js/admin-order.js, SortableJS), or, with the keyboard or
    without JavaScript, press "Move up" or "Move down" (buttons posting a form). Both post to
    `order_view`, which moves only rows of the user's own drafts (`get_queryset`) and saves
    them through the models (guidance/ordering.py)."""

    change_list_template = "admin/guidance/order_change_list.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "order/",
                self.admin_site.admin_view(self.order_view),
                name="{}_{}_order".format(*info),
            ),
            *super().get_urls(),
        ]

    # --- The list: offered only where it shows one whole group -----------------------------------

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        changelist.order_list = self._order_list(request, changelist)
        if changelist.order_list.get("offered"):
            # Before the row's name (after the tick box), where a wide list never hides it.
            columns = list(changelist.list_display)
            at = 1 if columns[:1] == ["action_checkbox"] else 0
            changelist.list_display = [*columns[:at], self._order_column(), *columns[at:]]
        return changelist

    def _order_list(self, request, changelist):
        if not self.has_change_permission(request):
            return {}
        fields = SIBLINGS[self.model]
        keys = list(changelist.queryset.order_by().values_list(*fields).distinct()[:2])
        if len(keys) != 1:
            return {"how_to": ORDER_HOW_TO[self.model]} if keys else {}
        group = self.model._default_manager.filter(**ordering.group_filter(keys[0], fields))
        subset = changelist.result_count != group.count() or bool(changelist.query)
        if subset or ORDER_VAR in changelist.params:
            first = group.order_by("order", "pk").first()
            how_to = (
                f"This list shows only part of {place_of(first)}."
                if subset
                else "This list is sorted by a column."
            )
            return {"how_to": how_to, "whole": self.list_where(first, highlight=False)}
        if changelist.multi_page and not changelist.show_all:
            return {"how_to": "This list has more than one page: show all to put it in order."}
        return {
            "offered": True,
            "hint": ORDER_HINT,
            "hint_no_script": ORDER_HINT_NO_SCRIPT,
            # The list as shown (without `saved`, which changelist_view took out of GET).
            "next": f"{request.path}?{request.GET.urlencode()}",
        }

    def _order_column(self):
        def put_in_order(obj):
            name = label(obj)
            return format_html(
                '<span class="order-controls" id="order-{}" data-order-id="{}">'
                '<span class="order-handle" aria-hidden="true" title="Drag to move">'
                "&#x2630;</span> "
                '<button type="submit" form="order-form" name="move" value="up:{}" '
                'class="order-button" aria-label="Move up: {}">Move up</button> '
                '<button type="submit" form="order-form" name="move" value="down:{}" '
                'class="order-button" aria-label="Move down: {}">Move down</button></span>',
                obj.pk,
                obj.pk,
                obj.pk,
                name,
                obj.pk,
                name,
            )

        put_in_order.short_description = "Put in order"
        return put_in_order

    # --- The move: one view for the buttons and for dragging ---------------------------------

    def order_view(self, request):
        """POST `move=up:<id>` or `move=down:<id>` (a button), or `order=<id>` for every row of
        one group in its new order (a drag; `moved=<id>` names the row dragged). Answers JSON to
        the page's script (Accept: application/json), else a message and the list again."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        wants_json = "application/json" in request.headers.get("Accept", "")
        try:
            with transaction.atomic():
                if "move" in request.POST:
                    row, rows, message = self._move_one_place(request)
                elif "order" in request.POST:
                    row, rows, message = self._put_in_order(request)
                else:
                    raise ordering.OrderRefused("Nothing was moved: no row was chosen.")
        except ordering.OrderRefused as refusal:
            if wants_json:
                return JsonResponse({"error": refusal.message}, status=refusal.status)
            if refusal.status == 403:
                raise PermissionDenied(refusal.message) from refusal
            messages.error(request, refusal.message)
            return HttpResponseRedirect(self._back_to_list(request))
        if wants_json:
            return JsonResponse({"message": message, "order": [str(r.pk) for r in rows]})
        messages.success(request, message)
        return HttpResponseRedirect(self._back_to_list(request, row))

    def _back_to_list(self, request, row=None):
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        back = request.POST.get("next", "")
        if not (
            back.startswith(changelist)
            and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        ):
            back = self.list_where(row, highlight=False) if row is not None else changelist
        return f"{back.split('#')[0]}#order-{row.pk}" if row is not None else back

    def _locked_group(self, request, row):
        """The row's group, read again and locked until the move is saved (PostgreSQL; SQLite
        lets one transaction write at a time), in its order."""
        fields = SIBLINGS[self.model]
        key = ordering.group_key(row, fields)
        return list(
            self.get_queryset(request)
            .filter(**ordering.group_filter(key, fields))
            .select_for_update(of=("self",))
            .order_by("order", "pk")
        )

    def _move_one_place(self, request):
        match = MOVE.match(request.POST.get("move", ""))
        if match is None:
            raise ordering.OrderRefused("Nothing was moved: choose Move up or Move down.")
        row = self.get_object(request, match["pk"])  # another area's or published: 403
        if not self.has_change_permission(request, row):
            raise PermissionDenied
        rows = self._locked_group(request, row)
        row = next(r for r in rows if r.pk == row.pk)
        direction = match["direction"]
        rows = ordering.moved_one_place(rows, row, direction)
        changed = ordering.save_order(rows, request.user)
        name = f"The {self.opts.verbose_name} “{label(row)}”"
        if not changed:
            edge = "first" if direction == "up" else "last"
            return row, rows, f"{name} is already {edge}: {where_it_is(row)}."
        return row, rows, f"Moved {direction}: {name} is now {where_it_is(row)}."

    def _put_in_order(self, request):
        plural = self.opts.verbose_name_plural
        posted = request.POST.getlist("order")
        if len(posted) > ORDER_IDS_LIMIT or not all(pk.isdigit() for pk in posted):
            raise ordering.OrderRefused(f"Nothing was moved: the list of {plural} was not valid.")
        pks = [int(pk) for pk in posted]
        if len(set(pks)) != len(pks):
            raise ordering.OrderRefused("Nothing was moved: a row was listed twice.")
        found = {row.pk: row for row in self.get_queryset(request).filter(pk__in=pks)}
        if len(found) != len(pks):
            if self.model._default_manager.filter(pk__in=pks).count() > len(found):
                raise ordering.OrderRefused(
                    f"Nothing was moved: some of these {plural} are not in your area's draft.",
                    status=403,
                )
            raise ordering.OrderRefused(
                f"Nothing was moved: some of these {plural} were deleted since the page was "
                "opened. Reload the page and try again.",
                status=409,
            )
        fields = SIBLINGS[self.model]
        if len({ordering.group_key(row, fields) for row in found.values()}) != 1:
            raise ordering.OrderRefused(
                f"Nothing was moved: these {plural} are not one list. {ORDER_HOW_TO[self.model]}"
            )
        rows = self._locked_group(request, found[pks[0]])
        if {row.pk for row in rows} != set(pks):
            raise ordering.OrderRefused(
                f"Nothing was moved: {place_of(rows[0])} changed since the page was opened (a row "
                "was added or taken away). Reload the page and try again.",
                status=409,
            )
        by_pk = {row.pk: row for row in rows}
        rows = [by_pk[pk] for pk in pks]
        changed = ordering.save_order(rows, request.user)
        moved = request.POST.get("moved", "")
        row = by_pk.get(int(moved)) if moved.isdigit() else None
        if row is None:
            row = changed[0] if changed else rows[0]
        name = f"The {self.opts.verbose_name} “{label(row)}”"
        if not changed:
            return row, rows, f"Nothing moved: {name} is {where_it_is(row)}."
        return row, rows, f"Moved: {name} is now {where_it_is(row)}."


def _level_filter(level_path):
    return lambda obj: _get(obj, level_path)


def _get(obj, dotted):
    for name in dotted.split("."):
        obj = getattr(obj, name)
    return obj


@admin.register(Level)
class LevelAdmin(ScopedAdmin):
    list_display = ["__str__", "authority", "number", "name"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "number"]
    search_fields = ["name", "summary", "definition"]
    inlines = [NextStepInline]
    place_filters = {"authority__id__exact": lambda obj: obj.authority_id}

    def get_readonly_fields(self, request, obj=None):
        return ["authority", "number"] if obj else []

    # Every authority keeps exactly its four levels: nobody adds or deletes one here, one at a
    # time or in bulk (no delete action without the permission).
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NextStep)
class NextStepAdmin(OrderAdminMixin, ScopedAdmin):
    list_display = ["heading", "level", "order"]
    list_filter = [("level__authority", admin.RelatedOnlyFieldListFilter), "level__number"]
    search_fields = ["heading", "text"]
    place_filters = {
        "level__authority__id__exact": _level_filter("level.authority_id"),
        "level__number": _level_filter("level.number"),
    }

    def view_on_site(self, obj):
        return obj.level.get_absolute_url() + "#next-steps"


@admin.register(Domain)
class DomainAdmin(OrderAdminMixin, ScopedAdmin):
    list_display = ["name", "parent", "authority", "theme", "order"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "theme"]
    search_fields = ["name"]
    # Its indicators are a compact list with links (change_form.html), not 35 editable rows.
    change_form_template = "admin/guidance/domain/change_form.html"
    place_filters = {"authority__id__exact": lambda obj: obj.authority_id}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self._indicators(request, object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _indicators(self, request, object_id):
        if not str(object_id).isdigit():
            return {}
        indicators = (
            scope(Indicator.objects.filter(domain_id=object_id), request.user)
            .select_related("level")
            .order_by("level__number", "order", "id")
        )
        number = request.GET.get("level", "")
        shown = indicators.filter(level__number=number) if number.isdigit() else indicators
        levels = Level.objects.filter(authority__domains__pk=object_id).order_by("number")
        order_url = None
        if number.isdigit():  # one level of the domain: one list that can be put in order
            order_url = f"{reverse('admin:guidance_indicator_changelist')}?" + urlencode(
                {"domain__id__exact": object_id, "level__number__exact": number}
            )
        return {
            "domain_order_url": order_url,
            "domain_indicators": [{"indicator": i, "text": cut_words(i.text, 160)} for i in shown],
            "domain_levels": levels,
            "domain_level": int(number) if number.isdigit() else None,
            "domain_indicator_count": indicators.count(),
        }


@admin.register(Indicator)
class IndicatorAdmin(OrderAdminMixin, ScopedAdmin):
    list_display = ["text", "level", "domain", "strategy_discussion"]
    list_filter = [
        ("domain__authority", admin.RelatedOnlyFieldListFilter),
        "level__number",
        ("domain", admin.RelatedOnlyFieldListFilter),
        "domain__theme",
        "strategy_discussion",
    ]
    list_select_related = ["level__authority", "domain__parent"]
    search_fields = ["text", "note"]
    autocomplete_fields = ["domain"]
    place_filters = {
        "domain__authority__id__exact": _level_filter("domain.authority_id"),
        "level__number__exact": _level_filter("level.number"),
        "domain__id__exact": _level_filter("domain_id"),
    }

    def changelist_view_title(self, request):
        """Which indicators the list shows, by its filters: "Indicators at level 2 (Northshire
        Early Help) in Health, Northshire". Only the user's own areas and domains are named."""

        def number_in(name):  # a filter's number, or None (not a number, or absurdly long)
            value = request.GET.get(name, "")
            return int(value) if value.isdigit() and len(value) <= 12 else None

        domain = area = level = None
        if (pk := number_in("domain__id__exact")) is not None:
            domain = scope(Domain.objects.all(), request.user).filter(pk=pk).first()
        if domain is not None:
            area = domain.authority
        elif (pk := number_in("domain__authority__id__exact")) is not None:
            area = scope(Authority.objects.all(), request.user).filter(pk=pk).first()
        title = "Indicators"
        if (number := number_in("level__number__exact")) is not None:
            level = area and area.levels.filter(number=number).first()
            title += f" at level {number}" + (f" ({level.name})" if level else "")
        if domain is not None:
            title += f" in {domain.name}"
        if area is not None:
            title += f", {area.name}"
        return cut_words(title)


class ContactForm(VersionedForm):
    """Numbers and addresses one a line; the admin supplies the model and its fields."""

    phones = LinesField(
        help_text="Phones: one number a line, as the document prints it.",
        line_validator=validate_phone,
    )
    emails = LinesField(
        help_text="Emails: one address a line, as the document prints it.",
        line_validator=validate_email,
    )


@admin.register(Contact)
class ContactAdmin(OrderAdminMixin, ScopedAdmin):
    form = ContactForm
    list_display = ["name", "authority", "emergency", "hours"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "emergency"]
    search_fields = ["name", "phones", "emails", "notes"]
    # Four tick boxes, not a chooser with arrows and Django's "Hold down Control" hint.
    formfield_overrides = {
        **FITTED_TEXT,
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    place_filters = {"authority__id__exact": lambda obj: obj.authority_id}

    def view_on_site(self, obj):
        """The first level page that shows the contact (the area's page if none does)."""
        level = obj.levels.order_by("number").first()
        if level is None:
            return obj.authority.get_absolute_url()
        return level.get_absolute_url() + "#contacts"


@admin.register(GuidanceSection)
class GuidanceSectionAdmin(OrderAdminMixin, ScopedAdmin):
    list_display = ["title", "authority", "kind"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "kind"]
    search_fields = ["title", "body"]
    place_filters = {"authority__id__exact": lambda obj: obj.authority_id}


# --- The lead's home: their area first -----------------------------------------------------------


def area_home(draft):
    """What a lead's home shows of one area: links by task, and how much waits to be published."""
    published = draft.draft_of
    old, new = editions.pending(published)
    waiting = sum(count_rows(document_changes(old, new)).values()) if old != new else 0
    area = {"authority__id__exact": draft.pk}
    indicators = reverse("admin:guidance_indicator_changelist")
    return {
        "draft": draft,
        "published": published,
        "waiting": waiting,
        # "Find an indicator by its words": the area's indicators at every level, searched.
        "indicators": indicators,
        "levels": [
            {
                "level": level,
                "indicators": f"{indicators}?"
                + urlencode({"domain__authority__id__exact": draft.pk, "level__number__exact": n}),
            }
            for n, level in ((level.number, level) for level in draft.levels.order_by("number"))
        ],
        "contacts": f"{reverse('admin:guidance_contact_changelist')}?{urlencode(area)}",
        "domains": f"{reverse('admin:guidance_domain_changelist')}?{urlencode(area)}",
        "sections": f"{reverse('admin:guidance_guidancesection_changelist')}?{urlencode(area)}",
        "next_steps": f"{reverse('admin:guidance_nextstep_changelist')}?"
        + urlencode({"level__authority__id__exact": draft.pk}),
        "deleted": [
            (
                model._meta.verbose_name,
                reverse(f"admin:guidance_{model._meta.model_name}_deleted"),
            )
            for model in (Indicator, Contact, GuidanceSection, NextStep, Domain)
        ],
    }


_django_index = admin.site.index


def index(request, extra_context=None):
    """The admin home: "Your area: Dudley" with its tasks for each of the lead's areas; the list
    of everything by kind for superusers (leads reach every kind from their area)."""
    drafts = Authority.objects.drafts().filter(pk__in=lead_authority_ids(request.user))
    extra_context = {
        **(extra_context or {}),
        "areas": [area_home(draft) for draft in drafts.select_related("draft_of")],
        "title": "Your area" if drafts else admin.site.index_title,
    }
    return _django_index(request, extra_context)


# The default site's index, with the lead's areas (admin.site is Django's own AdminSite).
admin.site.index = index
admin.site.index_template = "admin/guidance/index.html"
