"""Management commands an administrator types: create_lead, changepassword, export_thresholds."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from guidance.loader import export_authority
from guidance.models import Authority

pytestmark = pytest.mark.django_db

PASSWORD = "A-long-pass-phrase-9"


def create_lead(*args):
    out = StringIO()
    call_command("create_lead", *args, stdout=out)
    return out.getvalue()


def authorities(username, role="authorities"):
    """The slugs of the authorities a user leads (or, with role="approves", approves): the
    roles are held on the drafts, which the admin shows."""
    return set(getattr(User.objects.get(username=username), role).values_list("slug", flat=True))


def test_create_lead_refuses_something_that_is_not_an_email():
    with pytest.raises(CommandError, match="'not-an-email' is not an email address"):
        create_lead("not-an-email", "--authority", "northshire")
    assert not User.objects.filter(username="not-an-email").exists()


def test_create_lead_makes_a_staff_user_named_by_the_lower_cased_email():
    out = create_lead("Sam@Example.org", "--authority", "northshire")
    assert "Created lead sam@example.org for Northshire." in out
    assert "manage.py changepassword sam@example.org" in out
    user = User.objects.get(username="sam@example.org")
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()


def test_create_lead_adds_authorities_to_an_existing_lead_by_default():
    create_lead("sam@example.org", "--authority", "northshire")
    out = create_lead("SAM@example.org", "--authority", "southvale", "--authority", "northshire")
    assert out == "Added Southvale to lead sam@example.org; now: Northshire, Southvale.\n"
    assert authorities("sam@example.org") == {"northshire--draft", "southvale--draft"}
    out = create_lead("sam@example.org", "--authority", "northshire")
    assert out == "Added nothing new to lead sam@example.org; now: Northshire, Southvale.\n"


def test_create_lead_replace_replaces_the_authorities():
    create_lead("sam@example.org", "--authority", "northshire", "--authority", "southvale")
    out = create_lead("sam@example.org", "--authority", "westmere", "--replace")
    assert out == "Replaced the authorities of lead sam@example.org; now: Westmere.\n"
    assert authorities("sam@example.org") == {"westmere--draft"}


def test_create_lead_names_an_unknown_authority():
    with pytest.raises(CommandError, match="No authority atlantis"):
        create_lead("sam@example.org", "--authority", "northshire", "--authority", "atlantis")
    # It takes the public slug, not the draft's.
    with pytest.raises(CommandError, match="No authority northshire--draft"):
        create_lead("sam@example.org", "--authority", "northshire--draft")
    assert not User.objects.filter(username="sam@example.org").exists()


def test_create_lead_approver_sets_the_role_on_the_drafts():
    out = create_lead("sam@example.org", "--authority", "northshire", "--approver")
    assert "sam@example.org may publish editions of Northshire." in out
    assert authorities("sam@example.org", "approves") == {"northshire--draft"}
    # Added without --approver, an authority is led, not approved; --replace resets both roles.
    create_lead("sam@example.org", "--authority", "southvale")
    assert authorities("sam@example.org") == {"northshire--draft", "southvale--draft"}
    assert authorities("sam@example.org", "approves") == {"northshire--draft"}
    create_lead("sam@example.org", "--authority", "westmere", "--replace")
    assert authorities("sam@example.org") == {"westmere--draft"}
    assert authorities("sam@example.org", "approves") == set()


def test_changepassword_finds_a_lead_by_email_in_any_case_and_they_can_sign_in(client, monkeypatch):
    create_lead("Lead@Northshire.Example", "--authority", "northshire")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)
    out = StringIO()
    call_command("changepassword", "Lead@Northshire.Example", stdout=out)
    assert "Changing password for user 'lead@northshire.example'" in out.getvalue()
    assert User.objects.get(username="lead@northshire.example").check_password(PASSWORD)
    response = client.post(
        reverse("admin:login"), {"username": "LEAD@northshire.example", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_changepassword_prefers_an_exact_mixed_case_username(monkeypatch):
    User.objects.create_user("Admin", password="x")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": PASSWORD)
    call_command("changepassword", "Admin", stdout=StringIO())
    assert User.objects.get(username="Admin").check_password(PASSWORD)
    with pytest.raises(CommandError, match="user 'nobody@example.org' does not exist"):
        call_command("changepassword", "Nobody@Example.org", stdout=StringIO())


def test_export_thresholds_reports_a_bad_path_in_one_line(tmp_path):
    target = tmp_path / "missing" / "x.yaml"
    with pytest.raises(CommandError) as error:
        call_command("export_thresholds", "northshire", "-o", str(target))
    assert str(error.value) == f"Cannot write {target}: No such file or directory"


def test_export_thresholds_writes_the_file(tmp_path):
    target = tmp_path / "northshire.yaml"
    call_command("export_thresholds", "northshire", "-o", str(target))
    assert target.read_text() == export_authority(Authority.objects.get(slug="northshire"))
    assert target.read_text().startswith("authority:\n  slug: northshire\n")
