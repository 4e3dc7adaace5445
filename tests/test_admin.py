"""Safeguarding leads in Django admin: only their own authority, full history, YAML in and out."""

import html
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

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

from .conftest import snapshot

pytestmark = pytest.mark.django_db

# model: how to find one row of an authority
ROWS = {
    Authority: lambda slug: Authority.objects.get(slug=slug),
    Level: lambda slug: Level.objects.get(authority__slug=slug, number=3),
    NextStep: lambda slug: NextStep.objects.filter(level__authority__slug=slug).first(),
    Domain: lambda slug: Domain.objects.filter(authority__slug=slug).first(),
    Indicator: lambda slug: Indicator.objects.filter(domain__authority__slug=slug).first(),
    Contact: lambda slug: Contact.objects.filter(authority__slug=slug).first(),
    GuidanceSection: lambda slug: GuidanceSection.objects.filter(authority__slug=slug).first(),
}
MODELS = list(ROWS)


def url(model, view, *args):
    return reverse(f"admin:guidance_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def hull_lead(client):
    call_command("create_lead", "Lead@Hull.example", "--authority", "hull", stdout=StringIO())
    user = User.objects.get(username="lead@hull.example")
    client.force_login(user)
    return user


@pytest.fixture
def superuser(client):
    user = User.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(user)
    return user


@pytest.mark.parametrize("model", MODELS)
def test_lead_lists_only_their_own_authoritys_rows(client, hull_lead, model):
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert ROWS[model]("hull").pk in shown or response.context["cl"].result_count > 100
    assert ROWS[model]("dudley").pk not in shown
    total = response.context["cl"].result_count
    assert total == response.context["cl"].queryset.count()
    assert (
        not response.context["cl"]
        .queryset.exclude(
            pk__in=model.objects.filter(
                **{
                    {
                        Authority: "slug",
                        Level: "authority__slug",
                        NextStep: "level__authority__slug",
                        Domain: "authority__slug",
                        Indicator: "domain__authority__slug",
                        Contact: "authority__slug",
                        GuidanceSection: "authority__slug",
                    }[model]: "hull"
                }
            )
        )
        .exists()
    )


@pytest.mark.parametrize("model", MODELS)
def test_lead_can_open_their_rows_but_not_another_authoritys(client, hull_lead, model):
    own, other = ROWS[model]("hull"), ROWS[model]("dudley")
    assert client.get(url(model, "change", own.pk)).status_code == 200
    assert client.get(url(model, "change", other.pk)).status_code == 403
    assert client.get(url(model, "history", other.pk)).status_code == 403
    assert client.get(url(model, "delete", other.pk)).status_code == 403
    assert client.get(url(model, "change", 999999)).status_code == 404


@pytest.mark.parametrize("model", MODELS)
def test_lead_cannot_delete_another_authoritys_row_by_post_or_bulk_action(client, hull_lead, model):
    other = ROWS[model]("dudley")
    before = snapshot()
    assert client.post(url(model, "delete", other.pk), {"post": "yes"}).status_code == 403
    client.post(
        url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert snapshot() == before
    assert model.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("model", MODELS)
def test_lead_cannot_change_another_authoritys_row_by_post(client, hull_lead, model):
    other = ROWS[model]("dudley")
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


def test_crafted_post_moving_an_indicator_to_another_authority_is_refused(client, hull_lead):
    own = ROWS[Indicator]("hull")
    dudley_domain = Domain.objects.filter(authority__slug="dudley").first()
    dudley_level = Level.objects.get(authority__slug="dudley", number=4)
    before = snapshot()
    for changes in ({"domain": dudley_domain.pk}, {"level": dudley_level.pk}):
        response = client.post(url(Indicator, "change", own.pk), indicator_form(own, **changes))
        assert response.status_code == 200  # the form again, with its error
        assert "Select a valid choice" in response.content.decode()
    assert snapshot() == before


def test_crafted_post_adding_a_row_to_another_authority_is_refused(client, hull_lead):
    dudley_domain = Domain.objects.filter(authority__slug="dudley").first()
    hull_level = Level.objects.get(authority__slug="hull", number=1)
    before = snapshot()
    response = client.post(
        url(Indicator, "add"),
        {"domain": dudley_domain.pk, "level": hull_level.pk, "text": "Planted", "order": 0},
    )
    assert "Select a valid choice" in response.content.decode()
    dudley = Authority.objects.get(slug="dudley")
    response = client.post(
        url(Contact, "add"), {"authority": dudley.pk, "name": "Planted", "order": 0}
    )
    assert "Select a valid choice" in response.content.decode()
    assert snapshot() == before


def test_a_lead_of_two_authorities_cannot_mix_them_in_one_indicator(client):
    call_command(
        "create_lead",
        "two@example.org",
        "--authority",
        "hull",
        "--authority",
        "dudley",
        stdout=StringIO(),
    )
    client.force_login(User.objects.get(username="two@example.org"))
    own = ROWS[Indicator]("hull")
    dudley_level = Level.objects.get(authority__slug="dudley", number=4)
    response = client.post(
        url(Indicator, "change", own.pk), indicator_form(own, level=dudley_level.pk)
    )
    assert "different authorities" in response.content.decode()
    assert Indicator.objects.get(pk=own.pk).level_id == own.level_id


def test_autocomplete_offers_only_the_leads_domains(client, hull_lead):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "guidance", "model_name": "indicator", "field_name": "domain", "term": ""},
    )
    assert response.status_code == 200
    ids = {int(r["id"]) for r in response.json()["results"]}
    assert ids == set(Domain.objects.filter(authority__slug="hull").values_list("pk", flat=True))


def test_add_form_offers_only_the_leads_levels_and_domains(client, hull_lead):
    form = client.get(url(Indicator, "add")).context["adminform"].form
    assert set(form.fields["level"].queryset.values_list("authority__slug", flat=True)) == {"hull"}
    assert set(form.fields["domain"].queryset.values_list("authority__slug", flat=True)) == {"hull"}


def test_leads_cannot_add_or_delete_authorities(client, hull_lead):
    assert client.get(url(Authority, "add")).status_code == 403
    hull = Authority.objects.get(slug="hull")
    assert client.post(url(Authority, "delete", hull.pk), {"post": "yes"}).status_code == 403


def test_superusers_see_every_authority(client, superuser):
    response = client.get(url(Indicator, "changelist"))
    assert response.context["cl"].result_count == Indicator.objects.count()
    dudley = ROWS[Indicator]("dudley")
    assert client.get(url(Indicator, "change", dudley.pk)).status_code == 200


def test_edit_is_recorded_with_who_and_can_be_reverted(client, hull_lead):
    indicator = ROWS[Indicator]("hull")
    original = indicator.text
    response = client.post(
        url(Indicator, "change", indicator.pk), indicator_form(indicator, text="Edited text")
    )
    assert response.status_code == 302
    latest = indicator.history.latest()
    assert latest.history_user == hull_lead
    assert latest.text == "Edited text"
    assert latest.prev_record.text == original
    page = client.get(url(Indicator, "history", indicator.pk)).content.decode()
    assert "lead@hull.example" in page
    # Revert: open the earlier version and save it.
    earlier = latest.prev_record
    revert_url = url(Indicator, "simple_history", indicator.pk, earlier.history_id)
    assert client.get(revert_url).status_code == 200
    response = client.post(revert_url, indicator_form(earlier.instance))
    assert response.status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).text == original


def test_the_public_page_shows_an_edit_at_once(client, hull_lead):
    indicator = ROWS[Indicator]("hull")
    client.get(indicator.get_absolute_url())  # any cache would be warm now
    client.post(url(Indicator, "change", indicator.pk), indicator_form(indicator, text="Fresh"))
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert "Fresh" in page


def test_a_deleted_row_can_be_restored_with_its_details(client, hull_lead):
    indicator = ROWS[Indicator]("hull")
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


def test_another_authoritys_deleted_rows_are_neither_listed_nor_restorable(client, hull_lead):
    other = ROWS[Indicator]("dudley")
    pk = other.pk
    other.delete()
    listing = client.get(url(Indicator, "deleted")).content.decode()
    assert other.text[:30] not in listing
    record = Indicator.history.filter(id=pk, history_type="-").latest()
    restore_url = url(Indicator, "simple_history", pk, record.history_id)
    assert client.get(restore_url).status_code == 403
    assert client.post(restore_url, indicator_form(record.instance)).status_code == 403
    assert not Indicator.objects.filter(pk=pk).exists()


def test_download_yaml_is_what_export_thresholds_writes(client, hull_lead):
    hull = Authority.objects.get(slug="hull")
    response = client.get(reverse("admin:guidance_authority_yaml", args=[hull.pk]))
    assert response.status_code == 200
    assert response.content.decode() == export_authority(hull)
    dudley = Authority.objects.get(slug="dudley")
    assert client.get(reverse("admin:guidance_authority_yaml", args=[dudley.pk])).status_code == 403


def upload(client, authority, text, name="hull.yaml"):
    return client.post(
        reverse("admin:guidance_authority_import", args=[authority.pk]),
        {"file": SimpleUploadedFile(name, text.encode())},
    )


def test_import_previews_then_applies(client, hull_lead):
    hull = Authority.objects.get(slug="hull")
    text = export_authority(hull)
    edited = text.replace("- physically well\n", "- physically well and thriving\n", 1)
    assert edited != text
    before = snapshot()
    response = upload(client, hull, edited)
    page = response.content.decode()
    assert "0 to add, 1 to change, 0 to remove." in page
    assert "+    - physically well and thriving" in page
    assert snapshot() == before  # a preview changes nothing
    response = client.post(
        reverse("admin:guidance_authority_import", args=[hull.pk]),
        {"preview": response.context["preview"].pk, "apply": "Apply"},
    )
    assert response.status_code == 302
    assert Indicator.objects.filter(
        domain__authority=hull, text="physically well and thriving"
    ).exists()
    assert Indicator.history.filter(history_user=hull_lead).exists()


def test_invalid_import_shows_its_errors_and_changes_nothing(client, hull_lead):
    hull = Authority.objects.get(slug="hull")
    bad = export_authority(hull).replace("- number: 3\n", "- number: 7\n")
    before = snapshot()
    page = upload(client, hull, bad).content.decode()
    assert "hull.yaml, line" in page
    assert "level 7 is outside 1-4" in page
    assert "Nothing has changed" in page
    assert snapshot() == before
    # Only a previewed file can be applied: the text itself is never accepted.
    client.post(
        reverse("admin:guidance_authority_import", args=[hull.pk]),
        {"yaml_text": bad, "file_name": "hull.yaml", "apply": "Apply"},
    )
    assert snapshot() == before


def test_a_lead_cannot_import_another_authoritys_file(client, hull_lead):
    hull = Authority.objects.get(slug="hull")
    dudley = Authority.objects.get(slug="dudley")
    before = snapshot()
    page = html.unescape(
        upload(client, hull, export_authority(dudley), "dudley.yaml").content.decode()
    )
    assert "this file is for 'dudley', not 'hull'" in page
    assert upload(client, dudley, export_authority(dudley)).status_code == 403
    assert snapshot() == before


def test_create_lead_creates_then_updates_the_leads_authorities(db):
    out = StringIO()
    call_command("create_lead", "sam@example.org", "--authority", "hull", stdout=out)
    assert "Created lead sam@example.org for Hull." in out.getvalue()
    user = User.objects.get(username="sam@example.org")
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    call_command(
        "create_lead",
        "sam@example.org",
        "--authority",
        "dudley",
        "--authority",
        "newcastle",
        "--replace",
        stdout=out,
    )
    assert set(user.authorities.values_list("slug", flat=True)) == {"dudley", "newcastle"}
    with pytest.raises(CommandError, match="No authority atlantis"):
        call_command("create_lead", "x@example.org", "--authority", "atlantis", stdout=out)


def test_failed_logins_are_throttled(client, db):
    user = User.objects.create_user("lee@example.org", "lee@example.org", "A-long-pass-phrase-9")
    user.is_staff = True
    user.save()
    login = reverse("admin:login")
    statuses = [
        client.post(login, {"username": user.username, "password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks the account here
    response = client.post(login, {"username": user.username, "password": "A-long-pass-phrase-9"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_a_correct_login_works(client, db):
    User.objects.create_user(
        "kim@example.org", "kim@example.org", "A-long-pass-phrase-9", is_staff=True
    )
    response = client.post(
        reverse("admin:login"),
        {"username": "kim@example.org", "password": "A-long-pass-phrase-9"},
    )
    assert response.status_code == 302


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("password")
    with pytest.raises(ValidationError):
        validate_password("12345678901")


def test_production_cookies_are_secure(settings):
    # Tests run with DEBUG off, as production does.
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
