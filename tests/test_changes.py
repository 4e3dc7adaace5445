"""What changed between two editions: each test edits a real export (Northshire) the way an
editor would and checks the practitioner sees that change and nothing else."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from guidance.changes import Change, Detail, count_rows, document_changes, word_diff
from guidance.models import Contact

ROOT = Path(__file__).parent.parent
NORTHSHIRE = (ROOT / "tests" / "data" / "site" / "northshire.yaml").read_text()
FRONT_DOOR = "Contact Northshire Front Door"


def edit(*replacements, text=NORTHSHIRE):
    """The export with each (old, new) replaced; each old text must occur exactly once, so a
    test cannot pass by editing nothing."""
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def summaries(changes):
    return [(c.place, c.summary) for c in changes]


def test_first_edition_and_unchanged_edition_have_no_changes():
    assert document_changes(None, NORTHSHIRE) == []
    assert document_changes(NORTHSHIRE, NORTHSHIRE) == []


@pytest.mark.parametrize("path", sorted((ROOT / "fixtures").glob("*.yaml")), ids=lambda p: p.stem)
def test_real_documents_compared_with_themselves_have_no_changes(path):
    text = path.read_text()
    assert document_changes(text, text) == []
    # Parsed afresh (not short-cut on equal text): a reformatted copy is no change either.
    assert document_changes(text, text + "\n") == []


def test_phone_change():
    new = edit(("  - 01234 567890", "  - 01234 000000"))
    assert document_changes(NORTHSHIRE, new) == [
        Change(
            FRONT_DOOR,
            "phone changed from 01234 567890 to 01234 000000",
            [Detail("Phone", "changed", "01234 567890", "01234 000000")],
        )
    ]


def test_several_contact_fields_changed():
    new = edit(
        ("  - 01234 567890", "  - 01234 000000"),
        ("  hours: Office hours\n  levels:\n  - 3\n", "  hours: 9 to 5\n  levels:\n"),
    )
    [change] = document_changes(NORTHSHIRE, new)
    assert change.summary == "phone, hours and levels changed"
    assert change.details[2] == Detail("Levels", "changed", "Levels 3, 4", "Level 4")


def test_list_of_phones_is_named_in_the_plural():
    new = edit(("  - 07700 900123\n", ""))
    [change] = document_changes(NORTHSHIRE, new)
    assert change.summary == "phones changed from 01234 222333, 07700 900123 to 01234 222333"


def test_indicator_inserted_in_the_middle_is_one_addition_only():
    new = edit(
        (
            "    - Northshire health indicator 2.2\n",
            "    - A new health indicator\n    - Northshire health indicator 2.2\n",
        )
    )
    assert document_changes(NORTHSHIRE, new) == [
        Change(
            "Level 2, Child's Development / Health",
            "1 indicator added",
            [Detail("Indicator", "added", "", "A new health indicator")],
        )
    ]


def test_first_indicator_removed_does_not_make_the_others_look_changed():
    new = edit(("    - Northshire parenting indicator 3.1\n", ""))
    assert summaries(document_changes(NORTHSHIRE, new)) == [
        ("Level 3, Parenting Capacity", "1 indicator removed")
    ]


def test_edited_indicator_is_one_change_with_old_and_new_text():
    new = edit(
        (
            "indicator 3.2\n    - Northshire parenting",
            "indicator 3.2 (edited)\n    - Northshire parenting",
        )
    )
    [change] = document_changes(NORTHSHIRE, new)
    assert change.place == "Level 3, Parenting Capacity"
    assert change.summary == "1 indicator changed"
    assert change.details == [
        Detail(
            "Indicator",
            "changed",
            "Northshire parenting indicator 3.2",
            "Northshire parenting indicator 3.2 (edited)",
        )
    ]


def test_insertion_next_to_an_edit_pairs_the_edit_with_its_old_text():
    new = edit(
        (
            "    - Northshire health indicator 2.2\n",
            "    - Brand new\n    - Northshire health indicator 2.2, revised\n",
        )
    )
    [change] = document_changes(NORTHSHIRE, new)
    assert change.summary == "1 indicator added, 1 changed"
    assert change.details == [
        Detail("Indicator", "added", "", "Brand new"),
        Detail(
            "Indicator",
            "changed",
            "Northshire health indicator 2.2",
            "Northshire health indicator 2.2, revised",
        ),
    ]


def test_strategy_discussion_only_is_a_changed_indicator_named_in_words():
    new = edit(("      strategy_discussion: true\n", ""))
    [change] = document_changes(NORTHSHIRE, new)
    assert change.summary == "1 indicator changed"
    assert change.details == [
        Detail(
            "Strategy discussion of indicator 'Northshire fabricated illness indicator 4.2'",
            "changed",
            "yes",
            "no",
        )
    ]


def test_pure_reorder_is_not_a_text_change():
    new = edit(
        (
            "    - Northshire parenting indicator 3.1\n    - Northshire parenting indicator 3.2\n",
            "    - Northshire parenting indicator 3.2\n    - Northshire parenting indicator 3.1\n",
        )
    )
    changes = document_changes(NORTHSHIRE, new)
    assert summaries(changes) == [("Level 3, Parenting Capacity", "order changed")]
    assert count_rows(changes) == {"added": 0, "changed": 0, "removed": 0, "moved": 1}


def test_removed_contact():
    new = edit(
        (
            "- name: Police\n  phones:\n  - '999'\n  emergency: true\n"
            "  notes: If a child is in immediate danger.\n",
            "",
        )
    )
    assert document_changes(NORTHSHIRE, new) == [
        Change("Contact Police", "removed", [Detail("Contact", "removed", "Police", "")])
    ]


def test_section_body_change():
    new = edit(
        ("body: Northshire consent guidance.", "body: Northshire consent guidance, revised.")
    )
    [change] = document_changes(NORTHSHIRE, new)
    assert change.place == "Guidance: Consent and information sharing"
    assert change.summary == (
        "text changed from Northshire consent guidance. to Northshire consent guidance, revised."
    )
    [detail] = change.details
    assert word_diff(detail.old, detail.new) == (
        "Northshire consent <del>guidance.</del><ins>guidance, revised.</ins>"
    )


def test_level_name_change():
    new = edit(("name: Northshire Targeted\n", "name: Northshire Targeted Help\n"))
    assert document_changes(NORTHSHIRE, new) == [
        Change(
            "Level 3 (Northshire Targeted Help)",
            "name changed from Northshire Targeted to Northshire Targeted Help",
            [Detail("Name", "changed", "Northshire Targeted", "Northshire Targeted Help")],
        )
    ]


def test_next_step_added():
    new = edit(
        (
            "    text: Northshire level 2 referral route.\n",
            "    text: Northshire level 2 referral route.\n"
            "  - heading: Escalation\n    text: Talk to your manager.\n",
        )
    )
    assert document_changes(NORTHSHIRE, new) == [
        Change(
            "Level 2 (Northshire Early Help)",
            "1 next step added",
            [Detail("Next step 'Escalation'", "added", "", "Talk to your manager.")],
        )
    ]


def test_renamed_domain_is_removed_and_added_with_its_indicators():
    new = edit(("- name: Risks Outside the Home\n", "- name: Exploitation\n"))
    assert summaries(document_changes(NORTHSHIRE, new)) == [
        ("Domain Risks Outside the Home", "removed"),
        ("Domain Exploitation", "added"),
        ("Level 3, Risks Outside the Home", "1 indicator removed"),
        ("Level 3, Exploitation", "1 indicator added"),
        ("Level 4, Risks Outside the Home", "2 indicators removed"),
        ("Level 4, Exploitation", "2 indicators added"),
    ]


def test_domain_theme_change_is_shown_in_words():
    new = edit(("  theme: learning\n", "  theme: health\n"))
    assert summaries(document_changes(NORTHSHIRE, new)) == [
        (
            "Domain Child's Development / Education",
            "theme changed from Learning and education to Health",
        )
    ]


def test_area_details_use_plain_words_and_long_texts_are_cut_at_a_word():
    caveat = (
        "The Northshire levels of need support professional judgement; they are not a checklist."
    )
    longer = caveat + " Read them with the family's whole story in mind, always."
    new = edit(("title: Northshire Levels of Need", "title: Levels of Need"), (caveat, longer))
    [change] = document_changes(NORTHSHIRE, new)
    assert change.place == "Area details"
    assert change.summary == "document title and caveat changed"
    assert [d.what for d in change.details] == ["Document title", "Caveat"]
    [_title, detail] = change.details
    assert detail.new == longer  # details keep the whole text; only summaries are cut

    # Both texts cut to the same first 80 characters: quoting them would show no difference.
    assert summaries(document_changes(NORTHSHIRE, edit((caveat, longer)))) == [
        ("Area details", "caveat changed")
    ]
    notes = (
        "Ask for the duty worker, or for the team manager when the duty worker is out on a visit."
    )
    [change] = document_changes(NORTHSHIRE, edit(("Ask for the duty worker.", notes)))
    assert change.summary == (
        "notes changed from Ask for the duty worker. to Ask for the duty worker, or for the team "
        "manager when the duty worker is out on…"  # "a" would make 81
    )


def test_changes_come_in_document_order_and_are_counted():
    new = edit(
        ("edition: Test edition, January 2026", "edition: Second edition, June 2026"),
        ("name: Northshire Targeted\n", "name: Northshire Targeted Help\n"),
        ("    - Northshire education indicator 1.1\n", ""),
        ("  - 01234 567890", "  - 01234 000000"),
        ("body: Northshire step up guidance.", "body: Northshire step up and down guidance."),
    )
    changes = document_changes(NORTHSHIRE, new)
    assert [c.place for c in changes] == [
        "Area details",
        "Level 3 (Northshire Targeted Help)",
        "Level 1, Child's Development / Education",
        FRONT_DOOR,
        "Guidance: Step up and step down",
    ]
    assert count_rows(changes) == {"added": 0, "changed": 4, "removed": 1, "moved": 0}


def test_repeated_contact_names_pair_in_order():
    text = "authority: {name: A}\ncontacts:\n- {name: Duty, hours: a}\n- {name: Duty, hours: b}\n"
    new = text.replace("hours: b", "hours: c")
    assert summaries(document_changes(text, new)) == [("Contact Duty", "hours changed from b to c")]


def test_missing_parts_and_empty_documents_are_handled():
    sparse = "authority: {name: Northshire}\nlevels: []\n"
    changes = document_changes(sparse, NORTHSHIRE)
    assert changes[0].place == "Area details"
    assert ("Level 1 (Northshire Universal)", "added") in summaries(changes)
    assert count_rows(changes)["removed"] == 0
    assert count_rows(document_changes(NORTHSHIRE, ""))["added"] == 0


def test_word_diff_escapes_and_marks_words():
    html = word_diff("Call <b>now</b> please", "Call <script>alert(1)</script> please")
    assert "<script>" not in html
    assert html == (
        "Call <del>&lt;b&gt;now&lt;/b&gt;</del><ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>"
        " please"
    )
    assert word_diff("a b c", "a c d") == "a <del>b </del>c<ins> d</ins>"
    assert word_diff("<script>x()</script> a", "<script>x()</script> b") == (
        "&lt;script&gt;x()&lt;/script&gt; <del>a</del><ins>b</ins>"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "edited",
    [
        # One line reworded and a new one added after it: the new line is the more alike.
        "    - Northshire education indicator 3.2, reworded\n"
        "    - Northshire education indicator 3.3, new\n",
        # A new line added before the reworded one.
        "    - A new first line about school\n    - Northshire education indicator 3.2 (edited)\n",
    ],
)
def test_what_a_preview_says_changed_is_the_row_the_load_changes(edited):
    """The import preview and the Changes page describe an edition as pairs of old and new rows;
    loading it must change the same rows, or a permalink (and a practitioner's note) would
    follow a different text than the one the preview said it would."""
    from guidance.editions import _load_into
    from guidance.loader import export_authority
    from guidance.models import Authority, Indicator

    draft = Authority.objects.get(slug="northshire--draft")
    before = export_authority(draft)
    after = edit(("    - Northshire education indicator 3.2\n", edited), text=before)
    [changed] = [
        detail
        for change in document_changes(before, after)
        for detail in change.details
        if detail.kind == "changed"
    ]
    row = Indicator.objects.get(domain__authority=draft, text="Northshire education indicator 3.2")
    _load_into(draft, after, "test", "draft")
    row.refresh_from_db()
    assert (detail_old := changed.old) == "Northshire education indicator 3.2", detail_old
    assert row.text == changed.new


def test_a_renamed_contact_reads_as_its_name_changed_not_removed_and_added():
    new = edit(("- name: Northshire Out of Hours\n", "- name: Northshire Emergency Duty Team\n"))
    assert document_changes(NORTHSHIRE, new) == [
        Change(
            "Contact Northshire Emergency Duty Team",
            "name changed from Northshire Out of Hours to Northshire Emergency Duty Team",
            [
                Detail(
                    "Name",
                    "changed",
                    "Northshire Out of Hours",
                    "Northshire Emergency Duty Team",
                )
            ],
        )
    ]


def test_a_contact_renamed_with_a_new_number_is_one_change():
    new = edit(
        ("- name: Northshire Out of Hours\n", "- name: Northshire Emergency Duty Team\n"),
        ("  - 01234 999000\n", "  - 01234 999111\n"),
    )
    assert summaries(document_changes(NORTHSHIRE, new)) == [
        ("Contact Northshire Emergency Duty Team", "name and phone changed")
    ]


def test_a_contact_taken_out_and_another_put_elsewhere_stay_removed_and_added():
    police = "- name: Police\n  phones:\n  - '999'\n  emergency: true\n"
    police += "  notes: If a child is in immediate danger.\n"
    duty = "- name: Duty Desk\n  phones:\n  - 01234 111222\n"
    new = edit((police, ""), ("sections:\n", duty + "sections:\n"))
    assert summaries(document_changes(NORTHSHIRE, new)) == [
        ("Contact Police", "removed"),
        ("Contact Duty Desk", "added"),
    ]


@pytest.mark.django_db
def test_the_contact_it_says_was_renamed_is_the_row_the_loader_keeps(tmp_path):
    def load(text):
        (tmp_path / "northshire.yaml").write_text(text)
        call_command("load_thresholds", str(tmp_path / "northshire.yaml"), stdout=StringIO())

    load(NORTHSHIRE)
    before = Contact.objects.published().get(authority__slug="northshire", name__endswith="Hours")
    new = edit(("- name: Northshire Out of Hours\n", "- name: Northshire Emergency Duty Team\n"))
    [change] = document_changes(NORTHSHIRE, new)
    load(new)
    after = Contact.objects.published().get(pk=before.pk)
    assert (change.details[0].kind, change.place) == ("changed", f"Contact {after.name}")
