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

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.forms.models import BaseInlineFormSet, fields_for_model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from rules.contrib.admin import (
    ObjectPermissionsInlineModelAdminMixin,
    ObjectPermissionsModelAdminMixin,
)
from simple_history.admin import SimpleHistoryAdmin

from . import editions
from .changes import count_rows, document_changes
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
from .rules import is_lead, lead_authority_ids, scope
from .validators import validate_email, validate_phone

admin.site.site_header = "Threshold guidance: editing"
admin.site.site_title = "Threshold guidance editing"
admin.site.index_title = "Keep your partnership's guidance current"


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


class ScopedInline(VersionedAdminMixin, ScopedChoicesMixin, ObjectPermissionsInlineModelAdminMixin):
    extra = 0
    show_change_link = True
    formset = VersionedInlineFormSet

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)


class ScopedAdmin(
    VersionedAdminMixin, ScopedChoicesMixin, ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin
):
    change_list_template = "admin/guidance/change_list.html"

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
        super().save_model(request, obj, form, change)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="{}_{}_deleted".format(*info),
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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Revert a row to an earlier version, or restore a deleted row.

        Reverting is a deliberate overwrite, but of the row as it was when the page was opened:
        the stale-page check applies as on the change form.
        """
        if not (object_id.isdigit() and version_id.isdigit()):
            raise Http404("No such version")
        restoring = not self.model._default_manager.filter(pk=object_id).exists()
        if restoring and not self.has_add_permission(request):
            raise PermissionDenied  # restoring a deleted row adds it again
        with transaction.atomic():  # the save, its history and the check together
            return super().history_form_view(request, object_id, version_id, extra_context)


class NextStepInline(ScopedInline, admin.StackedInline):
    model = NextStep


class IndicatorInline(ScopedInline, admin.TabularInline):
    model = Indicator
    # The table's columns: the short level and order first, then the indicator's words.
    fields = ["level", "order", "text", "strategy_discussion", "source", "note", "incomplete"]
    ordering = ["level__number", "order"]
    formfield_overrides = {
        Indicator._meta.get_field("text"): {"widget": forms.Textarea(attrs={"rows": 2})},
        Indicator._meta.get_field("note"): {"widget": forms.Textarea(attrs={"rows": 1})},
        Indicator._meta.get_field("incomplete"): {"widget": forms.Textarea(attrs={"rows": 1})},
    }


class LevelInline(ScopedInline, admin.TabularInline):
    model = Level
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
        # Only a superuser changes who leads an authority and who publishes it.
        return None if request.user.is_superuser else ["leads", "approvers", "single_lead"]

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
        may_publish = editions.can_publish(request.user, published)
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
            problems=editions.problems(published) if changes else [],
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
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": authority,
            "title": f"Import YAML for {authority}",
            "form": form,
            **(form.save() if form.is_valid() else {}),
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
        messages.success(request, f"Imported {form.cleaned_data['preview'].file_name}: {report}")
        return redirect("admin:guidance_authority_change", authority.pk)


@admin.register(Level)
class LevelAdmin(ScopedAdmin):
    list_display = ["__str__", "authority", "number", "name"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "number"]
    search_fields = ["name", "summary", "definition"]
    inlines = [NextStepInline]

    def get_readonly_fields(self, request, obj=None):
        return ["authority", "number"] if obj else []

    # Every authority keeps exactly its four levels: nobody adds or deletes one here, one at a
    # time or in bulk (no delete action without the permission).
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NextStep)
class NextStepAdmin(ScopedAdmin):
    list_display = ["heading", "level", "order"]
    list_filter = [("level__authority", admin.RelatedOnlyFieldListFilter), "level__number"]
    search_fields = ["heading", "text"]


@admin.register(Domain)
class DomainAdmin(ScopedAdmin):
    list_display = ["name", "parent", "authority", "theme", "order"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "theme"]
    search_fields = ["name"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdmin):
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


class ContactForm(VersionedForm):
    """Numbers and addresses one a line; the admin supplies the model and its fields."""

    phones = LinesField(
        help_text="One number a line, as the document prints it.",
        line_validator=validate_phone,
    )
    emails = LinesField(help_text="One address a line.", line_validator=validate_email)


@admin.register(Contact)
class ContactAdmin(ScopedAdmin):
    form = ContactForm
    list_display = ["name", "authority", "emergency", "hours"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "emergency"]
    search_fields = ["name", "phones", "emails", "notes"]
    filter_horizontal = ["levels"]


@admin.register(GuidanceSection)
class GuidanceSectionAdmin(ScopedAdmin):
    list_display = ["title", "authority", "kind"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "kind"]
    search_fields = ["title", "body"]
