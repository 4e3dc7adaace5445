"""Safeguarding leads in Django admin: only their own authority, full history, YAML in and out."""

import html
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from guidance.editions import publish
from guidance.loader import export_authority
from guidance.models import (
    Authority,
    Contact,
    Domain,
    GuidanceSection,
    Indicator,
    Level,
    NextStep,
)

from .helpers import snapshot

pytestmark = pytest.mark.django_db

MODELS = [Authority, Level, NextStep, Domain, Indicator, Contact, GuidanceSection]

# Leads edit the drafts in admin; the published authorities change only by publishing.
NORTHSHIRE = "northshire--draft"
SOUTHVALE = "southvale--draft"


def one_row(model, slug):
    """A row of that authority's (of Authority, the authority itself)."""
    return model.objects.for_authorities(Authority.objects.filter(slug=slug)).first()


def published_northshire():
    return Authority.objects.published().get(slug="northshire")


def url(model, view, *args):
    return reverse(f"admin:guidance_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def lead(client):
    """A Northshire lead, signed in; "another authority" is Southvale."""
    call_command(
        "create_lead", "Lead@Northshire.example", "--authority", "northshire", stdout=StringIO()
    )
    user = User.objects.get(username="lead@northshire.example")
    client.force_login(user)
    return user


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(user)
    return user


@pytest.mark.parametrize("model", MODELS)
def test_lead_lists_only_their_own_authoritys_rows(client, lead, model):
    assert [a.slug for a in lead.authorities.all()] == [NORTHSHIRE]  # the role is on the draft
    own = model.objects.for_authorities(lead.authorities.all())
    assert own.exists()
    assert model.objects.exclude(pk__in=own).exists()  # other authorities' rows to leave out
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    cl = response.context["cl"]
    own_pks = set(own.values_list("pk", flat=True))
    assert set(cl.queryset.values_list("pk", flat=True)) == own_pks
    assert cl.result_count == len(own_pks) <= cl.list_per_page  # all of them on the one page
    assert {obj.pk for obj in cl.result_list} == own_pks


@pytest.mark.parametrize("model", MODELS)
def test_lead_can_open_their_draft_rows_but_not_another_authoritys_or_published_ones(
    client, lead, model
):
    own = one_row(model, NORTHSHIRE)
    assert client.get(url(model, "change", own.pk)).status_code == 200
    # Another authority's draft, and the published rows (their own area's too), are forbidden.
    for slug in (SOUTHVALE, "southvale", "northshire"):
        other = one_row(model, slug)
        assert client.get(url(model, "change", other.pk)).status_code == 403
        assert client.get(url(model, "history", other.pk)).status_code == 403
        assert client.get(url(model, "delete", other.pk)).status_code == 403
    assert client.get(url(model, "change", 999999)).status_code == 404


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("slug", [SOUTHVALE, "northshire"])
def test_lead_cannot_delete_another_authoritys_or_a_published_row_by_post_or_bulk_action(
    client, lead, model, slug
):
    other = one_row(model, slug)
    before = snapshot()
    assert client.post(url(model, "delete", other.pk), {"post": "yes"}).status_code == 403
    client.post(
        url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert snapshot() == before
    assert model.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("slug", [SOUTHVALE, "northshire"])
def test_lead_cannot_change_another_authoritys_or_a_published_row_by_post(
    client, lead, model, slug
):
    other = one_row(model, slug)
    before = snapshot()
    response = client.post(url(model, "change", other.pk), {"name": "Changed", "text": "x"})
    assert response.status_code == 403
    assert snapshot() == before


def indicator_form(indicator, **changes):
    data = {
        "domain": indicator.domain_id,
        "level": indicator.level_id,
        "text": indicator.text,
        "order": indicator.order,
        "source": indicator.source,
        "note": indicator.note,
        # The newest change of the row when the form was opened (a stale form is refused).
        "seen_version": Indicator.history.filter(id=indicator.pk).latest("history_id").history_id,
    }
    if indicator.strategy_discussion:
        data["strategy_discussion"] = "on"
    data.update(changes)
    return data


def test_crafted_post_moving_an_indicator_to_another_authority_is_refused(client, lead):
    own = one_row(Indicator, NORTHSHIRE)
    moves = []
    # Into another authority's draft, or into the published rows (of the lead's own area too).
    for slug in (SOUTHVALE, "southvale", "northshire"):
        moves.append({"domain": Domain.objects.filter(authority__slug=slug).first().pk})
        moves.append({"level": Level.objects.get(authority__slug=slug, number=4).pk})
    before = snapshot()
    for changes in moves:
        response = client.post(url(Indicator, "change", own.pk), indicator_form(own, **changes))
        assert response.status_code == 200  # the form again, with its error
        assert "Select a valid choice" in response.content.decode()
    assert snapshot() == before


def test_crafted_post_adding_a_row_to_another_authority_is_refused(client, lead):
    southvale_domain = Domain.objects.filter(authority__slug=SOUTHVALE).first()
    northshire_level = Level.objects.get(authority__slug=NORTHSHIRE, number=1)
    before = snapshot()
    response = client.post(
        url(Indicator, "add"),
        {
            "domain": southvale_domain.pk,
            "level": northshire_level.pk,
            "text": "Planted",
            "order": 0,
        },
    )
    assert "Select a valid choice" in response.content.decode()
    for slug in (SOUTHVALE, "northshire"):
        other = Authority.objects.get(slug=slug)
        response = client.post(
            url(Contact, "add"), {"authority": other.pk, "name": "Planted", "order": 0}
        )
        assert "Select a valid choice" in response.content.decode()
    assert snapshot() == before


def test_a_lead_of_two_authorities_cannot_mix_them_in_one_indicator(client):
    call_command(
        "create_lead",
        "two@example.org",
        "--authority",
        "northshire",
        "--authority",
        "southvale",
        stdout=StringIO(),
    )
    client.force_login(User.objects.get(username="two@example.org"))
    own = one_row(Indicator, NORTHSHIRE)
    southvale_level = Level.objects.get(authority__slug=SOUTHVALE, number=4)
    response = client.post(
        url(Indicator, "change", own.pk), indicator_form(own, level=southvale_level.pk)
    )
    assert "different authorities" in response.content.decode()
    assert Indicator.objects.get(pk=own.pk).level_id == own.level_id


def test_autocomplete_offers_only_the_leads_domains(client, lead):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "guidance", "model_name": "indicator", "field_name": "domain", "term": ""},
    )
    assert response.status_code == 200
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert ids == set(
        Domain.objects.for_authorities(lead.authorities.all()).values_list("pk", flat=True)
    )


def test_add_form_offers_only_the_leads_levels_and_domains(client, lead):
    form = client.get(url(Indicator, "add")).context["adminform"].form
    assert set(form.fields["level"].queryset.values_list("authority__slug", flat=True)) == {
        NORTHSHIRE
    }
    assert set(form.fields["domain"].queryset.values_list("authority__slug", flat=True)) == {
        NORTHSHIRE
    }


def test_leads_cannot_add_or_delete_authorities(client, lead):
    assert client.get(url(Authority, "add")).status_code == 403
    for slug in (NORTHSHIRE, "northshire"):
        northshire = Authority.objects.get(slug=slug)
        assert (
            client.post(url(Authority, "delete", northshire.pk), {"post": "yes"}).status_code == 403
        )
    assert Authority.objects.filter(slug__in=[NORTHSHIRE, "northshire"]).count() == 2


def test_superusers_see_every_draft_authority_but_no_published_one(client, superuser):
    response = client.get(url(Indicator, "changelist"))
    cl = response.context["cl"]
    assert cl.result_count == Indicator.objects.drafts().count()
    assert Indicator.objects.published().exists()  # rows the list leaves out
    shown = set(cl.queryset.values_list("domain__authority__slug", flat=True))
    assert {NORTHSHIRE, SOUTHVALE} <= shown
    assert all(slug.endswith("--draft") for slug in shown)
    response = client.get(url(Authority, "changelist"))
    assert set(response.context["cl"].queryset.values_list("pk", flat=True)) == set(
        Authority.objects.drafts().values_list("pk", flat=True)
    )
    southvale = one_row(Indicator, SOUTHVALE)
    assert client.get(url(Indicator, "change", southvale.pk)).status_code == 200
    published = one_row(Indicator, "southvale")
    assert client.get(url(Indicator, "change", published.pk)).status_code == 403


def test_edit_is_recorded_with_who_and_can_be_reverted(client, lead):
    indicator = one_row(Indicator, NORTHSHIRE)
    original = indicator.text
    response = client.post(
        url(Indicator, "change", indicator.pk), indicator_form(indicator, text="Edited text")
    )
    assert response.status_code == 302
    latest = indicator.history.latest()
    assert latest.history_user == lead
    assert latest.text == "Edited text"
    assert latest.prev_record.text == original
    page = client.get(url(Indicator, "history", indicator.pk)).content.decode()
    assert "lead@northshire.example" in page
    # Revert: open the earlier version and save it.
    earlier = latest.prev_record
    revert_url = url(Indicator, "simple_history", indicator.pk, earlier.history_id)
    assert client.get(revert_url).status_code == 200
    response = client.post(revert_url, indicator_form(earlier.instance))
    assert response.status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).text == original


def test_an_edit_shows_on_the_preview_at_once_and_on_the_public_page_once_published(client, lead):
    indicator = one_row(Indicator, NORTHSHIRE)
    # The same indicator as published (the draft is a copy: the same text in the same place).
    public = Indicator.objects.published().get(
        domain__authority__slug="northshire",
        domain__name=indicator.domain.name,
        level__number=indicator.level.number,
        order=indicator.order,
        text=indicator.text,
    )
    preview_url, public_url = indicator.get_absolute_url(), public.get_absolute_url()
    assert preview_url.startswith(f"/{NORTHSHIRE}/") and public_url.startswith("/northshire/")
    for address in (preview_url, public_url):
        assert client.get(address).status_code == 200  # any cache would be warm now
    response = client.post(
        url(Indicator, "change", indicator.pk), indicator_form(indicator, text="Fresh")
    )
    assert response.status_code == 302
    assert "Fresh" in client.get(preview_url).content.decode()
    assert "Fresh" not in client.get(public_url).content.decode()
    publish(published_northshire(), "An indicator reworded.")
    # Matched by its place, the published indicator keeps its address.
    assert "Fresh" in client.get(public_url).content.decode()


def test_a_deleted_row_can_be_restored_with_its_details(client, lead):
    indicator = one_row(Indicator, NORTHSHIRE)
    pk, text = indicator.pk, indicator.text
    assert client.post(url(Indicator, "delete", pk), {"post": "yes"}).status_code == 302
    assert not Indicator.objects.filter(pk=pk).exists()
    listing = client.get(url(Indicator, "deleted")).content.decode()
    assert text[:30] in listing
    record = Indicator.history.filter(id=pk, history_type="-").latest()
    restore_url = url(Indicator, "simple_history", pk, record.history_id)
    assert restore_url in listing
    response = client.post(restore_url, indicator_form(record.instance))
    assert response.status_code == 302
    assert Indicator.objects.get(pk=pk).text == text


def test_another_authoritys_deleted_rows_are_neither_listed_nor_restorable(client, lead):
    other = one_row(Indicator, SOUTHVALE)
    pk = other.pk
    other.delete()
    listing = client.get(url(Indicator, "deleted")).content.decode()
    assert other.text[:30] not in listing
    record = Indicator.history.filter(id=pk, history_type="-").latest()
    restore_url = url(Indicator, "simple_history", pk, record.history_id)
    assert client.get(restore_url).status_code == 403
    assert client.post(restore_url, indicator_form(record.instance)).status_code == 403
    assert not Indicator.objects.filter(pk=pk).exists()


def test_download_yaml_is_what_export_thresholds_writes_of_the_draft(client, lead):
    northshire = Authority.objects.get(slug=NORTHSHIRE)
    response = client.get(reverse("admin:guidance_authority_yaml", args=[northshire.pk]))
    assert response.status_code == 200
    assert response.content.decode() == export_authority(northshire)
    assert "  slug: northshire\n" in response.content.decode()  # the public slug
    southvale = Authority.objects.get(slug=SOUTHVALE)
    assert (
        client.get(reverse("admin:guidance_authority_yaml", args=[southvale.pk])).status_code == 403
    )
    # A published authority has no download in admin (published guidance is on the site).
    for slug in ("southvale", "northshire"):
        published = Authority.objects.get(slug=slug)
        response = client.get(reverse("admin:guidance_authority_yaml", args=[published.pk]))
        assert response.status_code in (403, 404)


def upload(client, authority, text, name="northshire.yaml"):
    return client.post(
        reverse("admin:guidance_authority_import", args=[authority.pk]),
        {"file": SimpleUploadedFile(name, text.encode())},
    )


def test_import_previews_then_applies_to_the_draft(client, lead):
    northshire = Authority.objects.get(slug=NORTHSHIRE)
    text = export_authority(northshire)
    edited = text.replace(
        "- Northshire health indicator 1.1\n", "- Northshire health indicator 1.1, thriving\n", 1
    )
    assert edited != text
    before = snapshot()
    response = upload(client, northshire, edited)
    page = response.content.decode()
    assert "0 to add, 1 to change, 0 to remove." in page
    assert "+    - Northshire health indicator 1.1, thriving" in page
    assert snapshot() == before  # a preview changes nothing
    response = client.post(
        reverse("admin:guidance_authority_import", args=[northshire.pk]),
        {"preview": response.context["preview"].pk, "apply": "Apply"},
    )
    assert response.status_code == 302
    assert Indicator.objects.filter(
        domain__authority=northshire, text="Northshire health indicator 1.1, thriving"
    ).exists()
    assert Indicator.history.filter(history_user=lead).exists()
    # Not published until someone publishes it.
    published = Indicator.objects.published()
    assert not published.filter(text="Northshire health indicator 1.1, thriving").exists()


def test_invalid_import_shows_its_errors_and_changes_nothing(client, lead):
    northshire = Authority.objects.get(slug=NORTHSHIRE)
    bad = export_authority(northshire).replace("- number: 3\n", "- number: 7\n")
    before = snapshot()
    page = upload(client, northshire, bad).content.decode()
    assert "northshire.yaml, line" in page
    assert "level 7 is outside 1-4" in page
    assert "Nothing has changed" in page
    assert snapshot() == before
    # Only a previewed file can be applied: the text itself is never accepted.
    client.post(
        reverse("admin:guidance_authority_import", args=[northshire.pk]),
        {"yaml_text": bad, "file_name": "northshire.yaml", "apply": "Apply"},
    )
    assert snapshot() == before


def test_a_lead_cannot_import_another_authoritys_file(client, lead):
    northshire = Authority.objects.get(slug=NORTHSHIRE)
    southvale = Authority.objects.get(slug=SOUTHVALE)
    before = snapshot()
    page = html.unescape(
        upload(client, northshire, export_authority(southvale), "southvale.yaml").content.decode()
    )
    assert "this file is for 'southvale', not 'northshire'" in page
    assert upload(client, southvale, export_authority(southvale)).status_code == 403
    # Nor import into a published authority, their own area's included (refused as one that is
    # not in the admin at all).
    for slug in ("southvale", "northshire"):
        published = Authority.objects.get(slug=slug)
        assert upload(client, published, export_authority(published)).status_code in (403, 404)
    assert snapshot() == before


def test_only_superusers_change_who_leads_approves_or_leads_alone(client, lead):
    """A lead who could make themselves an approver, or mark the area as having a single lead,
    could publish their own changes unchecked."""
    draft = Authority.objects.get(slug=NORTHSHIRE)
    form = client.get(url(Authority, "change", draft.pk)).context["adminform"].form
    assert not {"leads", "approvers", "single_lead"} & set(form.fields)
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(
        {
            "leads": [lead.pk],
            "approvers": [lead.pk],
            "single_lead": "on",
            "partnership": "Renamed partnership",
            "levels-TOTAL_FORMS": "0",
            "levels-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url(Authority, "change", draft.pk), data)
    assert response.status_code == 302  # saved, without the fields a lead may not set
    assert Authority.objects.get(pk=draft.pk).partnership == "Renamed partnership"
    assert not draft.approvers.exists()
    assert not Authority.objects.get(pk=draft.pk).single_lead
    assert list(draft.leads.all()) == [lead]


def test_superusers_change_who_leads_approves_or_leads_alone(client, superuser):
    draft = Authority.objects.get(slug=NORTHSHIRE)
    form = client.get(url(Authority, "change", draft.pk)).context["adminform"].form
    assert {"leads", "approvers", "single_lead"} <= set(form.fields)
