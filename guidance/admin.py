"""Django admin for safeguarding leads: each lead sees and changes only their own authorities.

Three things keep a lead inside their authorities, all driven by `rules.py`:
- every queryset (lists, bulk actions, autocomplete, choices of related rows) is scoped;
- every object-level permission asks django-rules with the object;
- another authority's row answers 403 instead of Django's "may have been deleted" redirect.
Every change is recorded by django-simple-history and can be reverted or restored.
"""

import difflib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from rules.contrib.admin import (
    ObjectPermissionsInlineModelAdminMixin,
    ObjectPermissionsModelAdminMixin,
)
from simple_history.admin import SimpleHistoryAdmin

from .forms import LinesField
from .loader import FixtureError, export_authority, load_documents, read_document
from .models import Authority, Contact, Domain, GuidanceSection, Indicator, Level, NextStep
from .rules import authority_id_of, is_lead, lead_authority_ids

admin.site.site_header = "Threshold guidance: editing"
admin.site.site_title = "Threshold guidance editing"
admin.site.index_title = "Keep your partnership's guidance current"

# How a row of each model reaches its authority, for scoping querysets.
AUTHORITY_PATHS = {
    Authority: "pk",
    Level: "authority",
    Domain: "authority",
    Contact: "authority",
    GuidanceSection: "authority",
    NextStep: "level__authority",
    Indicator: "domain__authority",
}


def scope(queryset, user):
    """Only the rows of the authorities the user leads (all of them for a superuser)."""
    if user.is_superuser:
        return queryset
    return queryset.filter(**{f"{AUTHORITY_PATHS[queryset.model]}__in": lead_authority_ids(user)})


class ScopedChoicesMixin:
    """Related-row choices (levels, domains, authorities) only from the user's authorities, so a
    crafted POST pointing at another authority's row is an invalid choice."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model in AUTHORITY_PATHS:
            kwargs["queryset"] = scope(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model in AUTHORITY_PATHS:
            kwargs["queryset"] = scope(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInline(ScopedChoicesMixin, ObjectPermissionsInlineModelAdminMixin):
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)


class ScopedAdmin(ScopedChoicesMixin, ObjectPermissionsModelAdminMixin, SimpleHistoryAdmin):
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
        if not self.has_view_permission(request):
            raise PermissionDenied
        live = self.model._default_manager.values_list("pk", flat=True)
        records = self.model.history.filter(history_type="-").exclude(id__in=live)
        if not request.user.is_superuser:
            # Scoped in the database, as the lists are; a historical row keeps its foreign keys.
            path = AUTHORITY_PATHS[self.model].replace("pk", "id")
            records = records.filter(**{f"{path}__in": lead_authority_ids(request.user)})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Deleted {self.opts.verbose_name_plural}",
            "records": records.select_related("history_user").order_by("-history_date")[:200],
        }
        return TemplateResponse(request, "admin/guidance/deleted.html", context)


class NextStepInline(ScopedInline, admin.StackedInline):
    model = NextStep
    fields = ["heading", "text", "order"]


class IndicatorInline(ScopedInline, admin.TabularInline):
    model = Indicator
    fields = ["level", "order", "text", "strategy_discussion", "source", "note"]
    ordering = ["level__number", "order"]
    formfield_overrides = {
        Indicator._meta.get_field("text"): {"widget": forms.Textarea(attrs={"rows": 2})},
        Indicator._meta.get_field("note"): {"widget": forms.Textarea(attrs={"rows": 1})},
    }


class LevelInline(ScopedInline, admin.TabularInline):
    model = Level
    fields = ["number", "name", "summary"]
    readonly_fields = ["number"]
    can_delete = False
    max_num = 4


@admin.register(Authority)
class AuthorityAdmin(ScopedAdmin):
    list_display = ["name", "partnership", "edition", "slug"]
    search_fields = ["name", "partnership", "document_title"]
    inlines = [LevelInline]
    change_form_template = "admin/guidance/authority/change_form.html"

    def get_fields(self, request, obj=None):
        fields = [
            "name",
            "slug",
            "partnership",
            "document_title",
            "edition",
            "source_file",
            "website",
            "caveat",
        ]
        return [*fields, "leads"] if request.user.is_superuser else fields

    def get_readonly_fields(self, request, obj=None):
        # A lead may not rename the authority's address or change who leads it.
        return [] if request.user.is_superuser else ["slug"]

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
            *super().get_urls(),
        ]

    def _editable_authority(self, request, pk):
        authority = get_object_or_404(Authority, pk=pk)
        if not self.has_change_permission(request, authority):
            raise PermissionDenied
        return authority

    def download_yaml(self, request, pk):
        authority = self._editable_authority(request, pk)
        response = HttpResponse(export_authority(authority), content_type="application/yaml")
        response["Content-Disposition"] = f'attachment; filename="{authority.slug}.yaml"'
        return response

    def import_yaml(self, request, pk):
        """Upload a YAML file, preview what it would add, change and remove, then apply it."""
        authority = self._editable_authority(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": authority,
            "title": f"Import YAML for {authority}",
            "form": YamlUploadForm(),
        }
        if request.method == "POST":
            if "yaml_text" in request.POST:  # confirmed after the preview
                text, name = request.POST["yaml_text"], request.POST.get("file_name", "upload")
            else:
                form = YamlUploadForm(request.POST, request.FILES)
                context["form"] = form
                if not form.is_valid():
                    return TemplateResponse(request, "admin/guidance/import.html", context)
                upload = form.cleaned_data["file"]
                name = upload.name
                try:
                    text = upload.read().decode("utf-8")
                except UnicodeDecodeError:
                    context["errors"] = [f"{name}: the file is not UTF-8 text"]
                    return TemplateResponse(request, "admin/guidance/import.html", context)
            try:
                document = read_document(name, text)
                if document.slug != authority.slug:
                    raise FixtureError(
                        [
                            f"{name}: authority.slug: this file is for '{document.slug}', "
                            f"not '{authority.slug}'"
                        ]
                    )
            except FixtureError as exc:
                context["errors"] = exc.messages
                return TemplateResponse(request, "admin/guidance/import.html", context)
            if "apply" in request.POST:
                (report,) = load_documents([document], reason=f"admin import of {name}")
                messages.success(request, f"Imported {name}: {report}")
                return redirect("admin:guidance_authority_change", authority.pk)
            context.update(self._preview(authority, document, text, name))
        return TemplateResponse(request, "admin/guidance/import.html", context)

    def _preview(self, authority, document, text, name):
        """Load inside a transaction that is rolled back, to show the effect without keeping it."""
        before = export_authority(authority)
        with transaction.atomic():
            (report,) = load_documents([document], reason="preview")
            after = export_authority(Authority.objects.get(pk=authority.pk))
            transaction.set_rollback(True)
        diff = list(
            difflib.unified_diff(
                before.splitlines(), after.splitlines(), "current", name, lineterm="", n=2
            )
        )
        return {"report": report, "diff": diff, "yaml_text": text, "file_name": name}


class YamlUploadForm(forms.Form):
    file = forms.FileField(
        label="YAML file",
        help_text="In the schema that “Download YAML” and export_thresholds write.",
    )


@admin.register(Level)
class LevelAdmin(ScopedAdmin):
    list_display = ["__str__", "authority", "number", "name"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "number"]
    search_fields = ["name", "summary", "definition"]
    fields = ["authority", "number", "name", "summary", "definition"]
    inlines = [NextStepInline]

    def get_readonly_fields(self, request, obj=None):
        return ["authority", "number"] if obj else []


@admin.register(NextStep)
class NextStepAdmin(ScopedAdmin):
    list_display = ["heading", "level", "order"]
    list_filter = [("level__authority", admin.RelatedOnlyFieldListFilter), "level__number"]
    search_fields = ["heading", "text"]
    fields = ["level", "heading", "text", "order"]


@admin.register(Domain)
class DomainAdmin(ScopedAdmin):
    list_display = ["name", "parent", "authority", "theme", "order"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "theme"]
    search_fields = ["name"]
    fields = ["authority", "name", "parent", "theme", "source", "order"]
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
    fields = ["domain", "level", "text", "order", "strategy_discussion", "source", "note"]


class ContactForm(forms.ModelForm):
    phones = LinesField(help_text="One number a line, as the document prints it.")
    emails = LinesField(help_text="One address a line.")

    class Meta:
        model = Contact
        fields = [
            "authority",
            "name",
            "phones",
            "emails",
            "url",
            "hours",
            "area",
            "levels",
            "emergency",
            "notes",
            "order",
        ]


@admin.register(Contact)
class ContactAdmin(ScopedAdmin):
    form = ContactForm
    list_display = ["name", "authority", "emergency", "hours"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "emergency"]
    search_fields = ["name", "phones", "emails", "notes"]
    filter_horizontal = ["levels"]

    def get_fields(self, request, obj=None):
        return ContactForm.Meta.fields


@admin.register(GuidanceSection)
class GuidanceSectionAdmin(ScopedAdmin):
    list_display = ["title", "authority", "kind"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "kind"]
    search_fields = ["title", "body"]
    fields = ["authority", "slug", "kind", "title", "body", "order"]
