"""Issue 16: the eight everyday tasks of a safeguarding lead, done in Chromium as a lead does them,
with the clicks counted.

Each task starts where a lead starts: the admin home (`/admin/`, after signing in) or the draft
page where they find the problem; from there it goes only by clicking. `Lead.click` counts a
click; typing, choosing in a plain drop-down and choosing a file are not clicks, pressing Enter
to submit is one, and opening the domain chooser (an autocomplete) and picking from it are one
each. Signing in is not counted. The test's own checks (the draft page in another tab, the public
page in another browser) are not the lead's and not counted. Every admin page the lead sees is
checked with axe.

| task                          | clicks before (issue 16) | clicks now        |
|-------------------------------|--------------------------|-------------------|
| 1 change a contact's phone    | 6                        | 3                 |
| 2 add an indicator, see it    | 6 + 3 to see it          | 4                 |
| 3 correct a typo (by search)  | 4                        | 4                 |
| 3 correct a typo (home find)  | -                        | 3                 |
| 3 correct a typo (draft Edit) | 4                        | 4                 |
| 4 move an indicator           | 6                        | 5                 |
| 5 undo a change               | 6                        | 3                 |
| 6 delete and restore          | 8                        | 6                 |
| 6 restore later, from home    | -                        | 3                 |
| 7 import an edited file       | 8 + the editor           | 4 + editor        |
| 8 home: each task page        | -                        | 1 each (19 links) |

The limits asserted below are these figures: a change that adds a click fails its test.
Where the clicks go: (1) Contacts, the contact, "Save and view the draft page"; (2) Indicators by
domain, Health, "Add an indicator to Health", "Save and view the draft page"; (3) a level's list,
Enter in its search, the row, "Save and view the draft page"; or Enter in the home's "Find an
indicator by its words" (every level of the area), the row, "Save and view the draft page"; or,
on the draft's level page, the domain's section, the indicator, "Edit this indicator", "Save and
view the draft page"; (4) a level's list, the indicator, the domain chooser and its option, Save;
(5) Recent changes, "Its history, to undo this", "Undo this change"; (6) a level's list, the
indicator, Delete, "Yes, delete it", then the message's "Restore it", Restore; or later, from the
home, "a deleted indicator", "See and restore", Restore;
(7) Download, Import, Preview, "Apply these changes".

Problems found here and fixed, each kept by a test: the add form's missing "Save and view the
draft page"; that button's message shown later on another admin page; the contrast of the row
just saved; the area details page's unlabelled level inputs and empty column headers; a level
page's "View on site" links told apart by colour alone; lists of one level headed just
"Indicators".
"""

import re
from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from guidance.models import Indicator

pytestmark = pytest.mark.browser

PASSWORD = "Correct-horse-battery-9"
EMAIL = "lead@northshire.example"
DRAFT = "northshire--draft"


class Lead:
    """A safeguarding lead at the keyboard: every click (and Enter that submits) is counted, and
    every admin page they are shown can be checked with axe."""

    def __init__(self, page, site, task):
        self.page, self.site, self.task = page, site, task
        self.clicks = 0
        self.axe = {}

    def sign_in(self):
        call_command("create_lead", EMAIL, "--authority", "northshire", stdout=StringIO())
        user = User.objects.get(username=EMAIL)
        user.set_password(PASSWORD)
        user.save()
        self.page.goto(f"{self.site}/admin/")
        self.page.get_by_label("Email").fill(EMAIL)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Log in").click()  # signing in is not counted
        expect(self.page.get_by_role("heading", name="Your area: Northshire")).to_be_visible()
        self.check("admin home")
        return user

    def click(self, locator):
        locator.click()
        self.clicks += 1

    def press_enter(self, locator):
        locator.press("Enter")
        self.clicks += 1

    def check(self, name):
        """What axe finds on the page the lead sees, by rule (reported together by `done`)."""
        results = Axe().run(self.page)
        found = {
            violation["id"]: [node["target"] for node in violation["nodes"]]
            for violation in results.response["violations"]
        }
        if found:
            self.axe[name] = found

    def done(self, most):
        print(f"{self.task}: {self.clicks} clicks (at most {most})")
        assert self.axe == {}, self.axe
        assert self.clicks <= most, f"{self.task} took {self.clicks} clicks, more than {most}"

    @property
    def messages(self):
        return self.page.locator(".messagelist")


def draft_page(lead, path):
    """The draft preview page in another tab of the lead's browser (the test's check)."""
    checker = lead.page.context.new_page()
    checker.goto(f"{lead.site}/{DRAFT}{path}")
    expect(checker.get_by_role("region", name="Draft preview")).to_be_visible()
    return checker


def public_page(browser, site, path):
    """The published page as the public sees it (another browser, not signed in)."""
    public = browser.new_context().new_page()
    public.goto(f"{site}/northshire{path}")
    expect(public.get_by_role("region", name="Draft preview")).to_have_count(0)
    return public


def no_southvale(lead):
    expect(lead.page.locator("#result_list")).not_to_contain_text("Southvale")


def test_1_change_a_contacts_phone_number(site, page, browser):
    lead = Lead(page, site, "1 change a contact's phone")
    lead.sign_in()

    lead.click(page.get_by_role("link", name="Contacts", exact=True))
    expect(page.get_by_role("heading", name="Contacts", level=1)).to_be_visible()
    expect(page.locator("#result_list")).to_contain_text("Northshire Early Help Hub")
    no_southvale(lead)
    lead.check("contacts")

    lead.click(page.get_by_role("link", name="Northshire Front Door"))
    expect(page.get_by_role("heading", name="Northshire Front Door")).to_be_visible()
    phones = page.get_by_label("Phones")
    expect(phones).to_have_value("01234 567890")
    lead.check("contact")
    phones.fill("01234 567899")

    lead.click(page.get_by_role("button", name="Save and view the draft page"))
    expect(page).to_have_url(f"{site}/{DRAFT}/level/3/#contacts")
    expect(page.get_by_role("region", name="Draft preview")).to_be_visible()
    card = page.locator("#contacts ~ .govuk-grid-row").first
    expect(card).to_contain_text("01234 567899")
    expect(card).not_to_contain_text("01234 567890")
    lead.check("draft level 3")

    public = public_page(browser, site, "/level/3/")
    expect(public.locator("main")).to_contain_text("01234 567890")
    expect(public.locator("main")).not_to_contain_text("01234 567899")
    lead.done(3)


def test_2_add_an_indicator_and_see_it_on_the_draft_page(site, page, browser):
    lead = Lead(page, site, "2 add an indicator, see it")
    lead.sign_in()
    new = "Northshire health indicator 2.4: missed immunisations"

    lead.click(page.get_by_role("link", name="Indicators by domain"))
    expect(page.get_by_role("heading", name="Domains", level=1)).to_be_visible()
    no_southvale(lead)
    lead.check("domains")

    lead.click(page.locator("#result_list").get_by_role("link", name="Health", exact=True))
    expect(page.get_by_role("heading", name="Indicators in Health (9)")).to_be_visible()
    lead.check("domain Health")

    lead.click(page.get_by_role("link", name="Add an indicator to Health"))
    expect(page.get_by_role("heading", name="Add indicator", level=1)).to_be_visible()
    lead.check("add indicator")
    page.get_by_label("Level").select_option(label="Northshire: Level 2 Northshire Early Help")
    page.get_by_label("Text").fill(new)

    # Saved, and straight to the draft page that shows it, as practitioners will see it.
    lead.click(page.get_by_role("button", name="Save and view the draft page"))
    banner = page.get_by_role("region", name="Draft preview")
    expect(banner).to_contain_text(
        f"The indicator “{new}” was added to the draft. It is 4th of 4 in Level 2, "
        "Child's Development / Health."
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(new)
    expect(page.locator("main")).to_contain_text(new)
    lead.check("draft indicator page")

    draft = draft_page(lead, "/level/2/")
    expect(draft.locator("main")).to_contain_text(new)
    expect(public_page(browser, site, "/level/2/").locator("main")).not_to_contain_text(new)
    lead.done(4)


def test_2_saving_a_new_indicator_shows_it_in_its_list(site, page):
    """Save (not "… and view the draft page"): the list it joined, the new row marked."""
    lead = Lead(page, site, "2 add, then the list")
    lead.sign_in()
    new = "Northshire health indicator 2.4: missed immunisations"
    lead.click(page.get_by_role("link", name="Indicators by domain"))
    lead.click(page.locator("#result_list").get_by_role("link", name="Health", exact=True))
    lead.click(page.get_by_role("link", name="Add an indicator to Health"))
    page.get_by_label("Level").select_option(label="Northshire: Level 2 Northshire Early Help")
    page.get_by_label("Text").fill(new)
    lead.click(page.get_by_role("button", name="Save", exact=True))
    expect(lead.messages).to_contain_text(
        f"The indicator “{new}” was added to the draft. It is 4th of 4 in Level 2, "
        "Child's Development / Health."
    )
    expect(page.locator("tr:has(.saved-row)")).to_contain_text(new)
    expect(page.locator("tr:has(.saved-row)")).to_contain_text("just saved")
    no_southvale(lead)
    lead.check("indicators, after adding")
    lead.done(4)


def test_2_the_add_form_offers_save_and_view_the_draft_page(site, page):
    lead = Lead(page, site, "2 add, then view")
    lead.sign_in()
    lead.click(page.get_by_role("link", name="Indicators by domain"))
    lead.click(page.locator("#result_list").get_by_role("link", name="Health", exact=True))
    lead.click(page.get_by_role("link", name="Add an indicator to Health"))
    expect(page.get_by_role("button", name="Save and view the draft page")).to_be_visible(
        timeout=2000
    )


def test_the_row_just_saved_is_marked_with_enough_contrast(site, page):
    lead = Lead(page, site, "contrast of the row just saved")
    lead.sign_in()
    lead.click(page.get_by_role("link", name="Level 1 Northshire Universal"))
    lead.click(page.get_by_role("link", name="Northshire health indicator 1.1", exact=True))
    lead.click(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator("tr:has(.saved-row)")).to_contain_text("just saved")
    results = Axe().run(page)
    contrast = [
        node["target"]
        for violation in results.response["violations"]
        if violation["id"] == "color-contrast"
        for node in violation["nodes"]
    ]
    assert contrast == [], contrast


def test_1_the_draft_page_says_what_was_saved(site, page):
    lead = Lead(page, site, "1 saved, then viewed")
    lead.sign_in()
    lead.click(page.get_by_role("link", name="Contacts", exact=True))
    lead.click(page.get_by_role("link", name="Northshire Front Door"))
    page.get_by_label("Phones").fill("01234 567899")
    lead.click(page.get_by_role("button", name="Save and view the draft page"))
    banner = page.get_by_role("region", name="Draft preview")
    expect(banner).to_contain_text("was saved in the draft")
    page.goto(f"{site}/admin/")  # the lead's next visit to the admin: said once, not again
    expect(page.locator(".messagelist")).to_have_count(0, timeout=2000)


def with_typo(text, typo):
    """Put a typo into an indicator of both the published edition and the draft (as if the
    document had been loaded with it)."""
    for indicator in Indicator.objects.filter(text=text):
        indicator.text = typo
        indicator.save()


TYPO = "Northshire parenting indicator 2.1: the parnet is often absent"
FIXED = "Northshire parenting indicator 2.1: the parent is often absent"


def save_the_correction(lead, browser, site, check_name):
    """After correcting the typo, "Save and view the draft page": the draft shows the correction,
    the public page still the published text."""
    page = lead.page
    lead.click(page.get_by_role("button", name="Save and view the draft page"))
    expect(page.locator("main")).to_contain_text(FIXED)
    expect(page.locator("main")).not_to_contain_text("parnet")
    lead.check(check_name)
    expect(public_page(browser, site, "/level/2/").locator("main")).to_contain_text(TYPO)


def test_3_correct_a_typo_found_by_searching_its_words(site, page, browser):
    with_typo("Northshire parenting indicator 2.1", TYPO)
    lead = Lead(page, site, "3 correct a typo (by search)")
    lead.sign_in()

    # The lead saw the typo on the level 2 page: that level's list, searched for the word.
    lead.click(page.get_by_role("link", name="Level 2 Northshire Early Help"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Indicators at level 2 (Northshire Early Help), Northshire"
    )
    expect(page).to_have_title(re.compile(r"^Indicators at level 2 \(Northshire Early Help\)"))
    no_southvale(lead)
    lead.check("indicators at level 2")
    search = page.get_by_role("textbox", name="Search")
    search.fill("parnet")
    lead.press_enter(search)
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(TYPO)
    lead.check("search results")

    lead.click(page.get_by_role("link", name=TYPO))
    text = page.get_by_label("Text")
    expect(text).to_have_value(TYPO)
    lead.check("indicator")
    text.fill(FIXED)

    save_the_correction(lead, browser, site, "draft indicator page")
    expect(page.get_by_role("region", name="Draft preview")).to_be_visible()
    lead.done(4)


def test_3_correct_a_typo_found_from_the_homes_search(site, page, browser):
    with_typo("Northshire parenting indicator 2.1", TYPO)
    lead = Lead(page, site, "3 correct a typo (home find)")
    lead.sign_in()

    # The lead remembers a word, not the level: the home's search covers every level.
    search = page.get_by_role("searchbox", name="Find an indicator by its words")
    search.fill("parnet")
    lead.press_enter(search)
    expect(page.get_by_role("heading", level=1)).to_have_text("Indicators, Northshire")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(TYPO)
    no_southvale(lead)
    lead.check("search results")

    lead.click(page.get_by_role("link", name=TYPO))
    text = page.get_by_label("Text")
    expect(text).to_have_value(TYPO)
    text.fill(FIXED)
    save_the_correction(lead, browser, site, "draft indicator page")
    lead.done(3)


def test_the_homes_search_finds_words_at_any_level_never_another_areas(site, page):
    lead = Lead(page, site, "home search, every level")
    lead.sign_in()
    search = page.get_by_role("searchbox", name="Find an indicator by its words")
    search.fill("health indicator")
    lead.press_enter(search)
    result = page.locator("#result_list")
    for number in (1, 2, 3, 4):
        expect(result).to_contain_text(f"Northshire health indicator {number}.1")
    no_southvale(lead)
    lead.check("search results")
    lead.done(1)


def test_3_correct_a_typo_from_the_edit_link_on_the_draft_page(site, page, browser):
    with_typo("Northshire parenting indicator 2.1", TYPO)
    lead = Lead(page, site, "3 correct a typo (draft Edit)")
    lead.sign_in()

    # The lead reads the draft's level 2 page, opens Parenting Capacity and finds the typo.
    page.goto(f"{site}/{DRAFT}/level/2/")
    expect(page.get_by_role("region", name="Draft preview")).to_be_visible()
    lead.check("draft level 2")
    lead.click(page.get_by_role("button", name=re.compile("^Parenting Capacity")))
    lead.click(page.get_by_role("link", name=TYPO))
    expect(page.get_by_role("heading", level=1)).to_contain_text(TYPO)
    lead.check("draft indicator page")

    lead.click(page.get_by_role("link", name="Edit this indicator"))
    text = page.get_by_label("Text")
    expect(text).to_have_value(TYPO)
    lead.check("indicator")
    text.fill(FIXED)

    save_the_correction(lead, browser, site, "draft indicator page, corrected")
    lead.done(4)


def test_4_move_an_indicator_to_another_domain_and_level(site, page, browser):
    moved = "Northshire health indicator 3.2"
    lead = Lead(page, site, "4 move an indicator")
    lead.sign_in()

    lead.click(page.get_by_role("link", name="Level 3 Northshire Targeted"))
    no_southvale(lead)
    lead.click(page.get_by_role("link", name=moved))
    expect(page.get_by_label("Text")).to_have_value(moved)
    lead.check("indicator")

    # The domain is chosen from the area's own domains (typed to narrow them).
    domain = page.locator(".field-domain")
    lead.click(domain.get_by_role("combobox"))
    options = page.locator(".select2-results__option")
    expect(options).to_have_count(6)
    expect(page.locator(".select2-results")).not_to_contain_text("Learning")  # Southvale's
    page.locator(".select2-search__field").fill("Educ")
    lead.click(page.get_by_role("option", name="Child's Development / Education"))
    page.get_by_label("Level").select_option(label="Northshire: Level 4 Northshire Specialist")

    lead.click(page.get_by_role("button", name="Save", exact=True))
    expect(lead.messages).to_contain_text(
        f"The indicator “{moved}” was saved in the draft. It is 2nd of 2 in Level 4, "
        "Child's Development / Education."
    )
    expect(page.locator("tr:has(.saved-row)")).to_contain_text(moved)
    lead.check("indicators, after moving")

    draft = draft_page(lead, "/level/4/")
    education = draft.locator(".govuk-accordion__section", has_text="Education")
    expect(education).to_contain_text(moved)
    expect(draft_page(lead, "/level/3/").locator("main")).not_to_contain_text(moved)
    public = public_page(browser, site, "/level/3/")
    expect(public.locator(".govuk-accordion__section", has_text="Health")).to_contain_text(moved)
    lead.done(5)


def test_5_undo_a_change_from_its_history(site, page, browser):
    wrong = "Northshire parenting indicator 3.3, changed by mistake"
    lead = Lead(page, site, "5 undo a change")
    user = lead.sign_in()
    indicator = Indicator.objects.get(
        domain__authority__slug=DRAFT, text="Northshire parenting indicator 3.3"
    )
    indicator.text = wrong
    indicator._history_user = user
    indicator.save()
    expect(draft_page(lead, "/level/3/").locator("main")).to_contain_text(wrong)

    lead.click(page.get_by_role("link", name="Recent changes in Northshire"))
    expect(
        page.get_by_role("heading", name="Recent changes in Northshire", level=1)
    ).to_be_visible()
    entry = page.locator(".history-entry").first
    expect(entry.get_by_role("heading")).to_have_text(f"Indicator “{wrong}”: edited")
    expect(entry).to_contain_text(f"By {EMAIL}, today at")
    expect(entry.locator("ins")).to_contain_text("3.3, changed by mistake")
    lead.check("recent changes")

    lead.click(entry.get_by_role("link", name="Its history, to undo this"))
    first = page.locator(".history-entry").first
    expect(first.get_by_role("heading")).to_have_text("Edited")
    lead.check("history")

    lead.click(first.get_by_role("button", name="Undo this change"))
    expect(lead.messages).to_contain_text(
        "Undone: the indicator “Northshire parenting indicator 3.3” is back as it was"
    )
    expect(page.locator(".history-entry").first.get_by_role("heading")).to_contain_text(
        "Reverted to the version of"
    )
    lead.check("history, after undoing")

    draft = draft_page(lead, "/level/3/")
    expect(draft.locator("main")).to_contain_text("Northshire parenting indicator 3.3")
    expect(draft.locator("main")).not_to_contain_text(wrong)
    public = public_page(browser, site, "/level/3/")
    expect(public.locator("main")).to_contain_text("Northshire parenting indicator 3.3")
    lead.done(3)


def test_6_delete_an_indicator_and_restore_it(site, page, browser):
    gone = "Northshire exploitation indicator 4.2"
    lead = Lead(page, site, "6 delete and restore")
    lead.sign_in()
    pk = Indicator.objects.get(domain__authority__slug=DRAFT, text=gone).pk

    lead.click(page.get_by_role("link", name="Level 4 Northshire Specialist"))
    lead.click(page.get_by_role("link", name=gone))
    lead.click(page.get_by_role("link", name="Delete"))
    expect(page.locator("#content")).to_contain_text(
        f"Delete the indicator “{gone}” from the draft?"
    )
    lead.check("delete indicator")
    lead.click(page.get_by_role("button", name="Yes, delete it"))
    expect(lead.messages).to_contain_text(f"The indicator “{gone}” was deleted from the draft.")
    lead.check("indicators, after deleting")
    expect(draft_page(lead, "/level/4/").locator("main")).not_to_contain_text(gone)
    expect(public_page(browser, site, "/level/4/").locator("main")).to_contain_text(gone)

    # Second thoughts: the message's own way back.
    lead.click(lead.messages.get_by_role("link", name="Restore it"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Restore the deleted indicator “{gone}”"
    )
    lead.check("restore indicator")
    lead.click(page.get_by_role("button", name="Restore"))
    expect(lead.messages).to_contain_text(
        f"The indicator “{gone}” is back, as it was before it was deleted."
    )
    lead.check("indicators, after restoring")

    assert Indicator.objects.filter(pk=pk, text=gone).exists()  # the same row, the same address
    expect(draft_page(lead, "/level/4/").locator("main")).to_contain_text(gone)
    lead.done(6)


def test_6_later_a_deleted_indicator_is_found_from_the_area_home(site, page):
    gone = "Northshire exploitation indicator 4.2"
    Indicator.objects.get(domain__authority__slug=DRAFT, text=gone).delete()
    lead = Lead(page, site, "6 restore later, from the home")
    lead.sign_in()
    lead.click(page.get_by_role("link", name="a deleted indicator"))
    expect(page.get_by_role("heading", name="Deleted indicators", level=1)).to_be_visible()
    expect(page.locator("#content-main")).not_to_contain_text("Southvale")
    lead.check("deleted indicators")
    lead.click(page.get_by_role("link", name=f"See and restore {gone}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Restore the deleted indicator “{gone}”"
    )
    lead.click(page.get_by_role("button", name="Restore"))
    expect(lead.messages).to_contain_text(f"The indicator “{gone}” is back")
    lead.done(3)


def test_7_import_an_edited_file(site, page, browser, tmp_path):
    lead = Lead(page, site, "7 import an edited file")
    lead.sign_in()

    with page.expect_download() as download:
        lead.click(page.get_by_role("link", name="Download the draft as a file"))
    text = download.value.path().read_text(encoding="utf-8")
    assert "Northshire education indicator 3.2" in text and "Southvale" not in text

    # In a text editor: one indicator reworded, one added.
    edited = text.replace(
        "- Northshire education indicator 3.2\n", "- Northshire education indicator 3.2, reworded\n"
    ).replace(
        "- Northshire education indicator 4.1\n",
        "- Northshire education indicator 4.1\n    - Northshire education indicator 4.2, new\n",
    )
    assert edited != text
    upload = tmp_path / download.value.suggested_filename
    upload.write_text(edited, encoding="utf-8")

    lead.click(page.get_by_role("link", name="Import an edited file"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import an edited file for Northshire"
    )
    lead.check("import")
    page.get_by_label("File").set_input_files(upload)
    lead.click(page.get_by_role("button", name="Preview"))
    expect(page.get_by_role("heading", level=2, name="Preview")).to_contain_text(upload.name)
    expect(page.locator("#import-summary")).to_contain_text("1 to add, 1 to change, 0 to remove")
    changes = page.locator("#changes")
    expect(changes).to_contain_text("Level 3, Child's Development / Education: 1 indicator changed")
    expect(changes.locator("ins", has_text="reworded")).to_have_text("3.2, reworded")
    expect(changes).to_contain_text("Level 4, Child's Development / Education: 1 indicator added")
    expect(changes.locator("ins", has_text="4.2")).to_have_text(
        "Northshire education indicator 4.2, new"
    )
    lead.check("import preview")

    lead.click(page.get_by_role("button", name="Apply these changes"))
    expect(lead.messages).to_contain_text(
        f"Imported {upload.name} into the draft: 1 added, 1 changed, 0 removed."
    )
    lead.check("area details, after importing")

    draft = draft_page(lead, "/level/3/")
    expect(draft.locator("main")).to_contain_text("Northshire education indicator 3.2, reworded")
    draft = draft_page(lead, "/level/4/")
    expect(draft.locator("main")).to_contain_text("Northshire education indicator 4.2, new")
    public = public_page(browser, site, "/level/3/")
    expect(public.locator("main")).not_to_contain_text("reworded")
    lead.done(4)


HOME_TASKS = [
    # (link on the home, heading of the page it opens)
    ("Contacts", "Contacts"),
    ("Level 1 Northshire Universal", "Indicators at level 1 (Northshire Universal), Northshire"),
    ("Level 4 Northshire Specialist", "Indicators at level 4 (Northshire Specialist), Northshire"),
    ("Indicators by domain", "Domains"),
    ("What to do next at each level", "Next steps"),
    ("Guidance sections", "Guidance sections"),
    ("Area details and level names", "Change area"),
    ("Changes waiting to be published (0)", "Changes waiting to be published in Northshire"),
    ("Recent changes in Northshire", "Recent changes in Northshire"),
    ("Editions", "Editions of Northshire"),
    ("Import an edited file", "Import an edited file for Northshire"),
    ("a deleted indicator", "Deleted indicators"),
    ("a deleted contact", "Deleted contacts"),
    ("a deleted guidance section", "Deleted guidance sections"),
    ("a deleted next step", "Deleted next steps"),
    ("a deleted domain", "Deleted domains"),
]


def test_8_the_admin_home_leads_to_each_task_in_one_click(site, page):
    lead = Lead(page, site, "8 home: each task page")
    lead.sign_in()
    home = page.locator("#content-main")
    expect(home).to_contain_text("Your changes go into the draft of Northshire")
    expect(home).not_to_contain_text("Southvale")
    expect(page.get_by_role("link", name="Add", exact=True)).to_have_count(0)

    for name, heading in HOME_TASKS:
        before = lead.clicks
        lead.click(home.get_by_role("link", name=name, exact=True))
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        if page.locator("#result_list").count():
            no_southvale(lead)
        lead.check(name)
        assert lead.clicks - before == 1
        page.go_back()
        expect(page.get_by_role("heading", name="Your area: Northshire")).to_be_visible()

    lead.click(home.get_by_role("link", name="Draft preview"))
    expect(page.get_by_role("region", name="Draft preview")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Northshire")
    expect(page.get_by_role("link", name="Your area's editing home")).to_be_visible()
    page.go_back()
    lead.click(home.get_by_role("link", name="Public pages"))
    expect(page).to_have_url(f"{site}/northshire/")
    expect(page.get_by_role("region", name="Draft preview")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit the area details")).to_have_count(0)
    page.go_back()
    with page.expect_download() as download:
        lead.click(home.get_by_role("link", name="Download the draft as a file"))
    assert download.value.suggested_filename.endswith(".yaml")
    lead.done(len(HOME_TASKS) + 3)


def test_the_area_details_page_passes_axe(site, page):
    lead = Lead(page, site, "area details page")
    lead.sign_in()
    lead.click(page.get_by_role("link", name="Area details and level names"))
    expect(page.get_by_role("heading", name="Change area", level=1)).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_level_page_passes_axe(site, page):
    """A level's own page (its definition and next steps): the next steps' "View on site" links
    sit beside text, so they are underlined (axe: link-in-text-block)."""
    lead = Lead(page, site, "a level's page")
    lead.sign_in()
    lead.click(page.get_by_role("link", name="Area details and level names"))
    lead.click(page.get_by_role("link", name="Change Northshire: Level 2 Northshire Early Help"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Change level")
    expect(page.locator(".inline-related h3").first).to_contain_text("View on site")
    lead.check("level 2")
    lead.done(2)
