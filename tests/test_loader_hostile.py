"""Hostile fixture files are refused quickly, with a short message, and change nothing.

The same loader serves load_thresholds, its --check and the admin import, so each attack is tried
through the command and --check here; the admin import is tried for the link attack.
"""

import html
import time
from io import StringIO

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from guidance import loader
from guidance.loader import MAX_DOCUMENT_BYTES
from guidance.models import Authority, Contact

from .helpers import SITE_DOCUMENTS, snapshot

pytestmark = pytest.mark.django_db

NORTHSHIRE = (SITE_DOCUMENTS / "northshire.yaml").read_text()


def refusal(path, *options):
    """Run load_thresholds on a file expecting a refusal: (messages, seconds)."""
    err = StringIO()
    started = time.perf_counter()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_thresholds", *options, str(path), stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines(), time.perf_counter() - started


def assert_refused_everywhere(path, expected):
    """Refused by both the load and --check, with a short message naming the problem."""
    before = snapshot()
    for options in ((), ("--check",)):
        messages, seconds = refusal(path, *options)
        assert any(expected in m for m in messages), messages
        assert all(len(m) < 400 for m in messages), [len(m) for m in messages]
        assert seconds < 2, seconds
    assert snapshot() == before
    return messages


def test_nested_aliases_used_as_a_key_are_refused_at_once(write_fixture):
    # 9 wide and 6 deep: about 500,000 references when expanded; the file is under 400 bytes.
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 7):
        refs = ",".join([f"*a{n - 1}"] * 9)
        lines.append(f"a{n}: &a{n} [{refs}]")
    lines.append("? *a6\n: value")
    path = write_fixture("\n".join(lines) + "\n", "laughs.yaml")
    assert path.stat().st_size < 500
    messages = assert_refused_everywhere(path, "anchors and aliases")
    assert "line 1" in messages[0]
    assert sum(len(m) for m in messages) < 400


def test_aliases_that_fit_the_schema_are_refused(write_fixture):
    # Each alias would repeat 2,001 phone numbers for 2,001 contacts.
    text = NORTHSHIRE.replace(
        "contacts:\n", "contacts:\n- &many\n  name: Team\n  phones: []\n- *many\n", 1
    )
    path = write_fixture(text, "northshire.yaml")
    messages = assert_refused_everywhere(path, "anchors and aliases (& and *) are not allowed")
    anchor_line = text[: text.index("- &many")].count("\n") + 1
    assert f"northshire.yaml, line {anchor_line}: YAML anchors" in messages[0]


def test_merge_keys_are_refused(write_fixture):
    text = NORTHSHIRE.replace(
        "contacts:\n", "contacts:\n- &base\n  name: Team\n- <<: *base\n  hours: Always\n", 1
    )
    assert_refused_everywhere(write_fixture(text, "northshire.yaml"), "anchors and aliases")


def test_deep_nesting_is_refused_without_a_traceback(write_fixture):
    path = write_fixture("[" * 5000, "deep.yaml")
    assert path.stat().st_size <= 10_000
    assert_refused_everywhere(path, "nested more than")


def test_each_file_is_parsed_once(write_fixture, monkeypatch):
    # The checks for aliases and depth run as the one pass composes the nodes (there used to be
    # a pass over the parser's events first, then the parse again to compose).
    path = write_fixture(NORTHSHIRE, "northshire.yaml")
    composed = []
    compose = loader._compose
    monkeypatch.setattr(loader, "_compose", lambda text: composed.append(text) or compose(text))
    for name in ("parse", "compose", "load", "safe_load"):
        monkeypatch.setattr(yaml, name, lambda *args, name=name, **kwargs: pytest.fail(name))
    call_command("load_thresholds", str(path), stdout=StringIO())
    assert composed == [NORTHSHIRE]


def test_a_file_over_the_size_limit_is_refused_before_parsing(write_fixture):
    filler = "# " + "x" * 1000 + "\n"
    text = NORTHSHIRE + filler * (MAX_DOCUMENT_BYTES // len(filler) + 1)
    path = write_fixture(text, "northshire.yaml")
    assert_refused_everywhere(path, "larger than 1024 KB")


def test_too_many_phone_numbers_are_refused(write_fixture):
    phones = "".join(f"  - 01234 {n:06d}\n" for n in range(11))
    text = NORTHSHIRE.replace("contacts:\n", f"contacts:\n- name: Team\n  phones:\n{phones}", 1)
    assert_refused_everywhere(write_fixture(text, "northshire.yaml"), "11 phones; at most 10")


@pytest.mark.parametrize(
    "field, value",
    [
        ("website", "javascript:fetch('/admin/')"),
        ("website", "JaVaScRiPt:alert(1)"),
        ("website", "data:text/html;base64,PHNjcmlwdD4="),
        ("website", "ftp://files.example.org"),
    ],
)
def test_an_authority_web_address_must_be_http_or_https(write_fixture, field, value):
    printed = "  website: https://northshire.example\n"
    assert printed in NORTHSHIRE
    text = NORTHSHIRE.replace(printed, f'  {field}: "{value}"\n', 1)
    messages = assert_refused_everywhere(
        write_fixture(text, "northshire.yaml"), "is not a web address (http:// or https://)"
    )
    assert "authority.website" in messages[0]


def test_a_contact_web_address_must_be_http_or_https(write_fixture):
    text = NORTHSHIRE.replace(
        "contacts:\n", "contacts:\n- name: Team\n  url: javascript:alert(1)\n", 1
    )
    messages = assert_refused_everywhere(
        write_fixture(text, "northshire.yaml"), "is not a web address"
    )
    assert "contacts[0] 'Team'.url" in messages[0]


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("emails", "not-an-email", "'not-an-email' is not an email address"),
        ("phones", "call the office", "'call the office' is not a phone number"),
    ],
)
def test_emails_and_phone_numbers_must_look_like_them(write_fixture, key, value, expected):
    text = NORTHSHIRE.replace("contacts:\n", f"contacts:\n- name: Team\n  {key}:\n  - {value}\n", 1)
    messages = assert_refused_everywhere(write_fixture(text, "northshire.yaml"), expected)
    assert f"contacts[0] 'Team'.{key}[0]" in messages[0]


def test_control_characters_in_text_are_refused(write_fixture):
    text = NORTHSHIRE.replace("  name: Northshire\n", '  name: "Northshire\\0"\n', 1)
    messages = assert_refused_everywhere(
        write_fixture(text, "northshire.yaml"), "control characters"
    )
    assert "authority.name" in messages[0]


def test_a_huge_unknown_key_is_quoted_briefly(write_fixture):
    # An explicit key ("? ") may be longer than YAML's 1,024-character limit for plain keys.
    text = NORTHSHIRE.replace("authority:\n", f"authority:\n  ? {'k' * 100_000}\n  : x\n", 1)
    assert_refused_everywhere(write_fixture(text, "northshire.yaml"), "unknown key 'kkk")


def test_a_mapping_used_as_a_key_is_named_briefly(write_fixture):
    text = NORTHSHIRE.replace("authority:\n", "authority:\n  ? {a: [1, 2, 3]}\n  : x\n", 1)
    assert_refused_everywhere(write_fixture(text, "northshire.yaml"), "a key must be text")


def test_a_number_in_another_notation_is_refused_plainly(write_fixture):
    text = NORTHSHIRE.replace("- number: 1\n", "- number: 0x1\n", 1)
    assert_refused_everywhere(write_fixture(text, "northshire.yaml"), "plain digits")


def test_a_file_taking_another_authoritys_name_is_a_clear_error(write_fixture):
    text = NORTHSHIRE.replace("  name: Northshire\n", "  name: Southvale\n", 1)
    messages = assert_refused_everywhere(
        write_fixture(text, "northshire.yaml"),
        "authority.name: 'Southvale' is the name of another authority (southvale)",
    )
    assert len(messages) == 1


def test_two_new_files_with_one_name_are_a_clear_error(write_fixture):
    first = NORTHSHIRE.replace("slug: northshire", "slug: new-one").replace(
        "  name: Northshire\n", "  name: New\n"
    )
    second = first.replace("slug: new-one", "slug: new-two")
    paths = [write_fixture(first, "one.yaml"), write_fixture(second, "two.yaml")]
    before = snapshot()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_thresholds", *map(str, paths), stdout=StringIO(), stderr=err)
    assert "'New' is the name of another authority (new-one)" in err.getvalue()
    assert snapshot() == before


def test_admin_import_refuses_a_script_link_and_changes_nothing(client):
    call_command(
        "create_lead", "lead@northshire.example", "--authority", "northshire", stdout=StringIO()
    )
    client.force_login(User.objects.get(username="lead@northshire.example"))
    northshire = Authority.objects.get(slug="northshire--draft")  # leads import into the draft
    text = NORTHSHIRE.replace(
        "contacts:\n", "contacts:\n- name: Team\n  url: javascript:alert(1)\n", 1
    )
    before = snapshot()
    response = client.post(
        reverse("admin:guidance_authority_import", args=[northshire.pk]),
        {"file": SimpleUploadedFile("northshire.yaml", text.encode())},
    )
    assert response.status_code == 200
    assert "is not a web address" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    "stored",
    ["javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>", "//evil"],
)
def test_pages_never_link_a_stored_address_that_is_not_http(client, stored):
    # Rows written past the loader (a raw SQL fix, an old backup) are still not linked.
    northshire = Authority.objects.get(slug="northshire")
    Authority.objects.filter(pk=northshire.pk).update(website=stored)
    contact = Contact.objects.filter(authority=northshire, levels__number=4).first()
    Contact.objects.filter(pk=contact.pk).update(url=stored)
    shown = html.escape(stored)
    authority_page = client.get("/northshire/").content.decode()
    level_page = client.get("/northshire/level/4/").content.decode()
    assert shown in level_page  # the contact's address is shown as text, just not linked
    for page in (authority_page, level_page):
        assert f'href="{shown}"' not in page
        assert f'href="{stored}"' not in page


def test_printed_addresses_without_a_scheme_are_linked_over_https(client):
    # Northshire's Early Help Hub (level 2) prints www.northshire-earlyhelp.example.
    page = client.get("/northshire/").content.decode()
    page += client.get("/northshire/level/2/").content.decode()
    assert 'href="https://www.northshire-earlyhelp.example"' in page
    assert ">www.northshire-earlyhelp.example</a>" in page


def test_domains_group_one_deep_only(write_fixture):
    text = NORTHSHIRE.replace(
        "domains:\n", "domains:\n- name: Group\n- name: Inner\n  parent: Group\n", 1
    )
    deeper = text.replace(
        "- name: Inner\n  parent: Group\n",
        "- name: Inner\n  parent: Group\n- name: Innermost\n  parent: Inner\n",
        1,
    )
    messages = assert_refused_everywhere(
        write_fixture(deeper, "northshire.yaml"),
        "domains group one deep; 'Inner' is itself in a group",
    )
    assert "domains[2] 'Innermost'.parent" in messages[0]


def test_a_domain_cannot_be_its_own_parent(write_fixture):
    text = NORTHSHIRE.replace("domains:\n", "domains:\n- name: Group\n  parent: Group\n", 1)
    assert_refused_everywhere(write_fixture(text, "northshire.yaml"), "cannot be its own parent")


def test_admin_import_taking_another_authoritys_name_is_a_clear_error(client):
    call_command(
        "create_lead", "lead@northshire.example", "--authority", "northshire", stdout=StringIO()
    )
    client.force_login(User.objects.get(username="lead@northshire.example"))
    northshire = Authority.objects.get(slug="northshire--draft")  # leads import into the draft
    text = NORTHSHIRE.replace("  name: Northshire\n", "  name: Southvale\n", 1)
    before = snapshot()
    response = client.post(
        reverse("admin:guidance_authority_import", args=[northshire.pk]),
        {"file": SimpleUploadedFile("northshire.yaml", text.encode())},
    )
    assert response.status_code == 200
    assert "is the name of another authority (southvale)" in response.content.decode()
    assert snapshot() == before
