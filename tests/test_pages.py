"""Practitioners' pages, through their URLs."""

import pytest
from django.urls import reverse

from guidance.models import Indicator

from .conftest import queries_before_and_after_more_data

pytestmark = pytest.mark.django_db


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_home_lists_the_authorities_and_offers_search(client):
    page = html(client, reverse("guidance:home"))
    for name in ("Stoke-on-Trent", "Newcastle", "Dudley", "Gloucestershire", "Hull"):
        assert name in page
    assert 'action="/search/"' in page
    assert 'class="govuk-input' in page  # rendered by crispy-forms-gds
    assert "GDS Transport" not in page


def test_authority_page_has_level_cards_document_and_caveat(client):
    page = html(client, "/stoke-on-trent/")
    for number, name in enumerate(
        ["Universal Services", "Initial Early Help", "Early Help", "Safeguarding"], start=1
    ):
        assert f'<span class="level-tag">Level {number}</span> {name}</a>' in page
        assert f'href="/stoke-on-trent/level/{number}/"' in page
    assert "Guide to Levels of Need: Early Help and Safeguarding Threshold Criteria" in page
    assert "2017, updated 16 October 2017" in page
    assert "for a newer version" in page
    assert "does not replace professional judgement" in page
    assert 'href="/stoke-on-trent/guidance/significant-harm/"' in page


def test_every_authority_page_has_the_emergency_banner(client):
    page = html(client, "/stoke-on-trent/level/2/")
    banner = page[page.index('class="emergency-banner"') : page.index('class="app-header"')]
    assert 'href="tel:999"' in banner
    assert '<a href="tel:01782235100">01782 235100</a> (Office hours)' in banner
    assert '<a href="tel:01782234234">01782 234234</a> (Out of office hours)' in banner
    hull = html(client, "/hull/guidance/significant-harm/")
    assert 'href="tel:01482448879"' in hull


def test_level_page_has_definition_next_steps_contacts_and_indicators(client):
    page = html(client, "/dudley/level/3/")
    assert "Intensive" in page
    assert "What to do next" in page
    assert "Referral route" in page
    assert 'href="tel:03005550050"' in page
    assert "Education</h3>" in page
    assert "I am being encouraged to use substances" not in page  # a level 2 indicator
    assert 'href="/dudley/level/2/" rel="prev"' in page
    assert 'href="/dudley/level/4/" rel="next"' in page


def test_level_page_contact_cards_have_mailto_and_hours(client):
    page = html(client, "/newcastle/level/2/")
    assert 'href="mailto:earlyhelp@newcastle.gov.uk"' in page
    assert 'href="tel:01912115805"' in page


def test_unknown_level_is_404(client):
    html(client, "/dudley/level/5/", status=404)


def test_indicator_filter_by_two_levels_and_a_domain_keeps_state_in_the_url(client):
    page = html(client, "/dudley/indicators/?level=3&level=4&domain=Education")
    assert "20 indicators" in page  # 9 at level 3, 11 at level 4
    compact = " ".join(page.split())
    assert 'value="3" checked="checked"' in compact
    assert 'value="4" checked="checked"' in compact
    assert 'value="2" checked' not in compact
    assert '<option value="Education" selected>' in page


def test_indicator_filter_by_theme_and_words(client):
    page = html(client, "/stoke-on-trent/indicators/?theme=parenting&q=boundaries")
    count = Indicator.objects.filter(
        domain__authority__slug="stoke-on-trent",
        domain__theme="parenting",
        text__icontains="boundaries",
    ).count()
    assert f"{count} indicator" in page
    assert "<mark>boundaries</mark>" in page


def test_bad_filter_values_show_the_form_not_an_error(client):
    page = html(client, "/dudley/indicators/?level=9&domain=Nowhere")
    assert "govuk-error-message" in page
    assert "0 indicators" in page


def test_indicator_has_a_permanent_address_showing_it_in_context(client):
    indicator = Indicator.objects.get(
        domain__authority__slug="stoke-on-trent", text="Forced Marriage"
    )
    page = html(client, f"/stoke-on-trent/indicators/{indicator.pk}/")
    assert '<h1 class="govuk-heading-l">Forced Marriage</h1>' in page
    assert "Family and Environmental Factors / Family History" in page
    assert 'href="/stoke-on-trent/level/4/"' in page
    assert "Family history and functioning at the other levels" in page
    assert "Dysfunctional relationships between family members." in page  # level 3, same theme
    html(client, f"/dudley/indicators/{indicator.pk}/", status=404)


def test_search_groups_by_authority_and_level_and_highlights(client):
    page = html(client, "/search/?q=missing+school")
    assert "2 indicators found" in page
    assert page.index('<h2 class="govuk-heading-l">Hull</h2>') < page.index(
        '<h2 class="govuk-heading-l">Stoke-on-Trent</h2>'
    )
    assert "<mark>Missing</mark> <mark>school</mark>" in page


def test_search_escapes_what_it_highlights(client, sample):
    Indicator.objects.filter(domain__authority=sample, text="Physically well.").update(
        text="Physically <b>well</b>."
    )
    page = html(client, "/search/?q=<b>well")
    assert "&lt;b&gt;well" in page
    assert "<b>well</b>" not in page
    assert "<mark>&lt;b&gt;well</mark>" in page


def test_search_without_results_suggests_what_to_try(client):
    page = html(client, "/search/?q=zebra+crossing")
    assert "No indicators match “zebra crossing”" in page
    assert "use fewer words" in page


def test_guidance_section_is_readable(client):
    page = html(client, "/stoke-on-trent/guidance/significant-harm/")
    assert '<h1 class="govuk-heading-xl">' in page
    assert "compulsory intervention in family life" in page
    html(client, "/stoke-on-trent/guidance/nothing-here/", status=404)


def test_unknown_address_gives_a_helpful_404_in_the_same_look(client):
    page = html(client, "/nowhere/at/all/", status=404)
    assert "Page not found" in page
    assert "govuk-service-navigation" in page
    assert "Traceback" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/sample/",
        "/sample/level/2/",
        "/sample/indicators/?level=1&level=4&theme=health&theme=learning",
        "/search/?q=extra",
        "/sample/guidance/significant-harm/",
        "/sample/table/",
        "/sample/present/2/",
        "/compare/?authority=sample&authority=hull",
        "/compare/?authority=sample&authority=hull&theme=health",
        "/compare/next-steps/?authority=sample&authority=hull&level=2",
    ],
)
def test_each_page_uses_a_fixed_number_of_queries(client, sample, url):
    small, large = queries_before_and_after_more_data(client, url, sample)
    assert large == small


def test_indicator_page_uses_a_fixed_number_of_queries(client, sample):
    url = Indicator.objects.filter(domain__authority=sample).first().get_absolute_url()
    small, large = queries_before_and_after_more_data(client, url, sample)
    assert large == small


def test_indicators_page_without_filters_lists_every_indicator_a_page_at_a_time(client):
    page = html(client, "/dudley/indicators/")
    assert "184 indicators" in page
    assert "Page 1 of 4" in page
    last = html(client, "/dudley/indicators/?page=4")
    assert "Page 4 of 4" in last


def test_compare_needs_two_to_five_areas(client):
    page = html(client, "/compare/?authority=hull")
    assert "Choose between 2 and 5 areas" in page
    assert "compare-table" not in page
    five = "&".join(
        f"authority={s}"
        for s in ["hull", "dudley", "newcastle", "gloucestershire", "stoke-on-trent"]
    )
    assert "compare-table" in html(client, f"/compare/?{five}")


def test_compare_shows_each_areas_local_level_names_level_by_level(client):
    page = html(client, "/compare/?authority=hull&authority=stoke-on-trent&theme=family")
    assert "Targeted early help support" in page
    assert "Initial Early Help" in page
    assert "Forced Marriage" in page
    assert "Dysfunctional relationships between family members." in page


def test_slides_have_their_own_addresses_and_unknown_slides_are_404(client):
    page = html(client, "/dudley/present/2/")
    assert 'id="slide-2" data-number="2"' in page
    assert 'data-href="/dudley/present/1/" aria-labelledby="slide-1-title" hidden' in page
    html(client, "/dudley/present/0/", status=404)
    html(client, "/dudley/present/999/", status=404)
