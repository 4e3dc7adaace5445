"""Practitioners' pages, through their URLs, on the purpose-made documents (tests/data/site/):
Northshire (rich), Southvale (small) and Westmere (no domains or indicators)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guidance.models import Authority, Domain, Indicator

from .helpers import add_indicators, queries_before_and_after_more_data

pytestmark = pytest.mark.django_db

NORTHSHIRE_LEVELS = [
    "Northshire Universal",
    "Northshire Early Help",
    "Northshire Targeted",
    "Northshire Specialist",
]


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def between(page, start, end):
    """The part of the page from the first `start` to the next `end`."""
    first = page.index(start)
    return page[first : page.index(end, first)]


def northshire_indicator(text):
    return Indicator.objects.published().get(domain__authority__slug="northshire", text=text)


# --- Home and authority pages -------------------------------------------------------------------


def test_home_lists_the_authorities_and_offers_search(client):
    page = html(client, reverse("guidance:home"))
    names = between(page, "Choose an area", "</ul>")
    assert names.index('href="/northshire/">Northshire</a>') < names.index(
        'href="/southvale/">Southvale</a>'
    )
    assert names.index('href="/southvale/">Southvale</a>') < names.index(
        'href="/westmere/">Westmere</a>'
    )
    assert names.count("<li>") == 3
    assert "Northshire Safeguarding Children Partnership: Northshire Levels of Need" in names
    assert 'action="/search/"' in page
    assert 'class="govuk-input' in page  # rendered by crispy-forms-gds
    assert "GDS Transport" not in page


def test_authority_page_has_level_cards_document_and_caveat(client):
    page = html(client, "/northshire/")
    for number, name in enumerate(NORTHSHIRE_LEVELS, start=1):
        assert (
            f'<a class="govuk-link" href="/northshire/level/{number}/">'
            f'<span class="level-tag">Level {number}</span> {name}</a>'
        ) in page
        assert f"Northshire level {number} summary." in page
    assert "From <strong>Northshire Levels of Need</strong> (Test edition, January 2026)" in page
    assert '(<a class="govuk-link" href="https://northshire.example">' in page
    assert "for a newer version" in page
    assert "The Northshire levels of need support professional judgement" in page
    guidance = between(page, "Guidance</h2>", "</ul>")
    for slug, title in [
        ("significant-harm", "Significant harm"),
        ("consent", "Consent and information sharing"),
        ("step-up-step-down", "Step up and step down"),
        ("glossary", "Glossary"),
    ]:
        assert f'href="/northshire/guidance/{slug}/">{title}</a>' in guidance


def test_authority_without_a_website_links_to_none(client):
    page = html(client, "/southvale/")
    assert "Check the partnership's website for a newer version." in page
    assert "Southvale Specialist" in page


def test_every_authority_page_has_the_emergency_banner(client):
    page = html(client, "/northshire/level/2/")
    banner = between(page, 'class="emergency-banner"', 'class="app-header"')
    assert '<strong>Emergency <a class="phone-number" href="tel:999">999</a></strong>' in banner
    # The first route on the line; every route with its hours one tap away (and, from tablet
    # width, on the same line).
    line = between(banner, 'class="emergency-banner__line"', 'class="emergency-banner__wide"')
    assert 'Northshire Front Door <a class="phone-number" href="tel:01234567890">' in line
    more = between(banner, 'class="emergency-banner__more"', "</details>")
    assert '<a class="phone-number" href="tel:01234567890">01234 567890</a> (Office hours)' in more
    assert (
        '<a class="phone-number" href="tel:01234999000">01234 999000</a> (Out of office hours)'
        in more
    )
    # Police's 999 is said once, up front; a contact that is not an emergency route is left out.
    assert "Police" not in banner
    assert banner.count("tel:999") == 1
    assert "01234 222333" not in banner
    for url, number in [
        ("/southvale/guidance/significant-harm/", "tel:01999100200"),
        ("/westmere/", "tel:01888300400"),
        ("/westmere/indicators/", "tel:01888300400"),
        ("/southvale/table/", "tel:01999100200"),
    ]:
        banner = between(html(client, url), 'class="emergency-banner"', 'class="app-header"')
        assert f'href="{number}"' in banner, url
        assert "01234 567890" not in banner, url  # another authority's number


# --- Level pages --------------------------------------------------------------------------------


def test_level_page_has_summary_next_steps_contacts_and_indicators(client):
    page = html(client, "/northshire/level/3/")
    assert '<span class="level-tag">Level 3</span> Northshire Targeted</h1>' in page
    assert "Northshire level 3 summary." in page
    # On a phone the contents list comes first, then the contacts, then what to do next.
    contents = between(page, 'id="on-this-page"', "</nav>")
    assert contents.index('href="#contacts"') < contents.index('href="#next-steps"')
    assert contents.index('href="#next-steps"') < contents.index('href="#indicators"')
    assert page.index('id="on-this-page"') < page.index('id="contacts">Contacts</h2>')
    assert page.index("Contacts</h2>") < page.index("What to do next</h2>")
    steps = between(page, "What to do next</h2>", "Indicators at this level</h2>")
    assert steps.index("Referral route") < steps.index("Consent")
    assert "Northshire level 3 referral route." in steps
    assert '<ul class="govuk-list govuk-list--bullet"><li>Talk to the family first.</li></ul>' in (
        steps
    )
    contacts = between(page, "Contacts</h2>", "What to do next</h2>")
    assert "Northshire Front Door" in contacts
    assert 'href="tel:01234567890"' in contacts
    assert "Northshire Early Help Hub" not in contacts  # a level 2 contact
    indicators = page[page.index("Indicators at this level</h2>") :]
    # Each domain a section of a GOV.UK accordion, its list reachable at #domain-<id>.
    assert 'class="govuk-accordion" data-module="govuk-accordion"' in indicators
    assert "Child&#x27;s Development / Education</span></h3>" in indicators
    education = Domain.objects.published().get(authority__slug="northshire", name="Education")
    assert f'id="domain-{education.pk}"' in indicators
    for text in ["Northshire education indicator 3.2", "Northshire exploitation indicator 3.1"]:
        assert text in indicators
    assert "Northshire health indicator 2.1" not in page  # a level 2 indicator
    assert 'href="/northshire/level/2/" rel="prev"' in page
    assert 'href="/northshire/level/4/" rel="next"' in page


def test_level_page_shows_the_definition_and_the_strategy_discussion_mark(client):
    page = html(client, "/northshire/level/4/")
    assert "Northshire level 4 definition: children suffering or likely to suffer" in page
    assert (
        "Northshire fabricated illness indicator 4.2</a> "
        '<strong class="govuk-tag govuk-tag--red">Strategy discussion</strong>'
    ) in page
    assert page.count("Strategy discussion</strong>") == 1
    assert 'rel="prev"' in page
    assert 'rel="next"' not in page
    assert 'rel="prev"' not in html(client, "/northshire/level/1/")


def test_level_page_contact_cards_have_phones_mailto_website_and_area_not_notes(client):
    page = html(client, "/northshire/level/2/")
    card = between(page, "Northshire Early Help Hub</h3>", "What to do next</h2>")
    phone = '<a class="govuk-link phone-number" href="tel:{}">{}</a>'
    assert phone.format("01234222333", "01234 222333") in card
    assert phone.format("07700900123", "07700 900123") in card
    assert 'href="mailto:earlyhelp@northshire.example"' in card
    # A plain "www." address as printed, linked over https.
    assert (
        '<a class="govuk-link" href="https://www.northshire-earlyhelp.example">'
        "www.northshire-earlyhelp.example</a>"
    ) in card
    assert "North and East wards" in card
    # The transcription notes are for editors (admin), never on a public page.
    assert "Ask for the duty worker." not in page
    front_door = between(
        html(client, "/northshire/level/4/"), "Northshire Front Door</h3>", "</dl>"
    )
    assert "Office hours" in front_door
    assert 'href="https://northshire.example/front-door"' in front_door


def test_level_of_an_authority_without_indicators_says_so(client):
    page = html(client, "/westmere/level/1/")
    assert "has no table of indicators in a form this site can show" in page
    assert 'href="#indicators"' not in page  # nothing to jump to
    assert "What to do next" not in page  # Westmere gives no next steps
    assert 'href="mailto:families@westmere.example"' in page


@pytest.mark.parametrize("url", ["/northshire/level/5/", "/northshire/level/0/", "/atlantis/"])
def test_unknown_level_or_authority_is_404(client, url):
    html(client, url, status=404)


# --- Indicators: filter, permanent address, search ---------------------------------------------


def test_indicator_filter_by_two_levels_and_a_domain_keeps_state_in_the_url(client):
    page = html(client, "/northshire/indicators/?level=3&level=4&domain=Education")
    assert '<p class="govuk-heading-m" id="result-count" role="status">3 indicators</p>' in page
    for text in [
        "Northshire education indicator 3.1",
        "Northshire education indicator 3.2",
        "Northshire education indicator 4.1",
    ]:
        assert text in page
    assert "Northshire education indicator 2.1" not in page  # another level
    assert "Northshire health indicator 3.1" not in page  # another domain
    compact = " ".join(page.split())
    assert 'value="3" checked>' in compact
    assert 'value="4" checked>' in compact
    assert 'value="2" checked' not in compact
    assert '<option value="Education" selected>' in page
    # The area's own level names; the filter says how many are chosen, each removable.
    assert "Level 3: Northshire Targeted</label>" in compact
    assert "Filter indicators (3 chosen)" in compact
    assert (
        '<a class="app-filter-tag" href="?level=4&amp;domain=Education">'
        '<span class="govuk-visually-hidden">Remove filter </span>Level 3: Northshire Targeted'
    ) in compact
    assert 'href="?level=3&amp;level=4">' in compact  # without the domain


def test_indicator_filter_by_a_grouping_of_domains(client):
    page = html(client, "/northshire/indicators/?domain=Child%27s+Development")
    assert 'id="result-count" role="status">15 indicators</p>' in page  # 9 health, 6 education
    assert "Northshire parenting indicator" not in page


def test_indicator_filter_by_theme_and_words(client):
    page = html(client, "/northshire/indicators/?theme=parenting&q=Indicator+3")
    assert 'id="result-count" role="status">3 indicators</p>' in page
    for n in (1, 2):
        assert f"Northshire parenting <mark>indicator</mark> <mark>3</mark>.{n}" in page
    # Every occurrence is marked, in the text's own case.
    assert "Northshire parenting <mark>indicator</mark> <mark>3</mark>.<mark>3</mark>" in page
    assert "Northshire health" not in page
    # Only the themes Northshire uses are offered.
    assert 'value="outside-home"' in page
    assert 'value="health"' in html(client, "/southvale/indicators/")
    assert 'value="parenting"' not in html(client, "/southvale/indicators/")


def test_bad_filter_values_show_the_form_not_an_error(client):
    page = html(client, "/northshire/indicators/?level=9&domain=Nowhere")
    assert "govuk-error-message" in page
    assert 'id="result-count" role="status">0 indicators</p>' in page


def test_authority_without_indicators_lists_none(client):
    page = html(client, "/westmere/indicators/")
    assert "has no table of indicators in a form this site can show" in page
    assert 'id="result-count"' not in page
    assert "No indicators match" not in page
    assert "Theme" not in page  # no filter, no empty heading
    assert 'href="/westmere/level/1/">Level 1: Westmere Universal</a>' in page


def test_indicators_page_without_filters_lists_every_indicator_a_page_at_a_time(client):
    first = html(client, "/northshire/indicators/")
    assert 'id="result-count" role="status">30 indicators</p>' in first
    assert "Page 1 of" not in first  # one page holds them all
    add_indicators(Authority.objects.get(slug="northshire"), 130)
    first = html(client, "/northshire/indicators/")
    assert 'id="result-count" role="status">160 indicators</p>' in first
    assert "Page 1 of 4" in first
    assert first.count("<li><a ") == 50
    last = html(client, "/northshire/indicators/?page=4")
    assert "Page 4 of 4" in last
    assert last.count("<li><a ") == 10
    assert 'rel="next"' not in last


def test_indicator_has_a_permanent_address_showing_it_in_context(client):
    indicator = northshire_indicator("Northshire fabricated illness indicator 4.2")
    page = html(client, f"/northshire/indicators/{indicator.pk}/")
    assert '<h1 class="govuk-heading-l">Northshire fabricated illness indicator 4.2</h1>' in page
    assert "Northshire: Child&#x27;s Development / Health</span>" in page
    assert 'href="/northshire/level/4/"' in page
    assert "Strategy discussion</strong> The document marks this" in page
    # Where the document puts it is a transcription note, for editors only.
    assert "Development table" not in page
    others = page[page.index("Health at the other levels</h2>") :]
    assert "Northshire health indicator 3.1" in others
    assert "Northshire health indicator 1.1" in others
    assert "Northshire health indicator 4.1" not in others  # the same level
    assert "Northshire education indicator" not in others  # another theme
    html(client, f"/southvale/indicators/{indicator.pk}/", status=404)


def test_search_labels_results_with_area_and_level_and_highlights(client):
    # Every kind of row is searched now (tests/test_search.py); these words are in indicators.
    page = html(client, "/search/?q=health+indicator+4.1")
    assert "2 results for ‘health indicator 4.1’</p>" in page
    assert "Indicators 2</strong>" not in page and "Indicators 2</a>" in page
    northshire = page.index("Northshire <mark>health</mark>")
    assert northshire < page.index("Southvale <mark>health</mark>")
    assert '<span class="level-tag">Level 4</span></span> Northshire Specialist' in page
    assert '<span class="level-tag">Level 4</span></span> Southvale Specialist' in page
    assert "Northshire <mark>health</mark> <mark>indicator</mark> <mark>4.1</mark>" in page
    assert "Southvale <mark>health</mark> <mark>indicator</mark> <mark>4.1</mark>" in page


def test_search_escapes_what_it_highlights(client):
    indicator = northshire_indicator("Northshire health indicator 1.1")
    indicator.text = "Physically <b>well</b>."
    indicator.save()  # through save(), which writes its search entry
    page = html(client, "/search/?q=<b>well")
    assert "&lt;b&gt;well" in page
    assert "<b>well</b>" not in page
    # Punctuation is not searched: "<b>well" finds the words "b well" together.
    assert "Physically &lt;<mark>b&gt;well</mark>&lt;/b&gt;." in page


def test_search_without_results_suggests_what_to_try(client):
    page = html(client, "/search/?q=zebra+crossing")
    assert "Nothing matches ‘zebra crossing’" in page
    assert "use fewer words" in page
    assert 'id="result-count" role="status">0 results for ‘zebra crossing’</p>' in page


# --- Guidance sections --------------------------------------------------------------------------


def test_guidance_section_is_readable(client):
    page = html(client, "/northshire/guidance/significant-harm/")
    assert '<h1 class="govuk-heading-xl">Significant harm</h1>' in page
    assert '<p class="govuk-body">Northshire significant harm guidance.</p>' in page
    assert '<ul class="govuk-list govuk-list--bullet"><li>Call the Front Door.</li></ul>' in page
    assert "From Northshire Levels of Need (Test edition, January 2026)." in page
    glossary = html(client, "/northshire/guidance/glossary/")
    assert "MASH: Multi-Agency Safeguarding Hub." in glossary
    html(client, "/northshire/guidance/nothing-here/", status=404)
    html(client, "/westmere/guidance/glossary/", status=404)  # Westmere has no glossary


def test_unknown_address_gives_a_helpful_404_in_the_same_look(client):
    page = html(client, "/nowhere/at/all/", status=404)
    assert "Page not found" in page
    assert "govuk-service-navigation" in page
    assert "Traceback" not in page


# --- Queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/northshire/",
        "/northshire/level/2/",
        "/northshire/indicators/?level=1&level=4&theme=health&theme=learning",
        "/search/?q=extra",
        "/northshire/guidance/significant-harm/",
        "/northshire/table/",
        "/northshire/present/2/",
        "/compare/?authority=northshire&authority=southvale",
        "/compare/?authority=northshire&authority=southvale&theme=health",
        "/compare/next-steps/?authority=northshire&authority=southvale&level=2",
    ],
)
def test_each_page_uses_a_fixed_number_of_queries(client, url):
    northshire = Authority.objects.get(slug="northshire")
    small, large = queries_before_and_after_more_data(client, url, northshire)
    assert large == small


@pytest.mark.parametrize(
    "url",
    [
        "/compare/?{}&theme=health",
        "/compare/next-steps/?{}&level=2",
    ],
)
def test_comparing_more_areas_runs_no_more_queries(client, url):
    def count(slugs):
        query = "&".join(f"authority={slug}" for slug in slugs)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url.format(query)).status_code == 200
        return len(captured)

    assert count(["northshire", "southvale"]) == count(["northshire", "southvale", "westmere"])


def test_indicator_page_uses_a_fixed_number_of_queries(client):
    northshire = Authority.objects.get(slug="northshire")
    url = northshire_indicator("Northshire health indicator 2.1").get_absolute_url()
    small, large = queries_before_and_after_more_data(client, url, northshire)
    assert large == small


# --- Trainers: level table and presentation -----------------------------------------------------


def test_level_table_has_every_indicator_by_domain_and_level(client):
    page = html(client, "/northshire/table/")
    # On screen a domain a row; printed, long domains go on in "(continued)" rows (print's body).
    screen = page.index('<tbody class="govuk-table__body level-table__screen">')
    printed = page.index('<tbody class="govuk-table__body level-table__print">')
    body = page[screen:printed]
    assert body.count("<li>") == 30
    assert page[printed:].count("<li>") == 30
    assert "(continued)" not in body
    rows = [
        "Child&#x27;s Development / Health</th>",
        "Child&#x27;s Development / Education</th>",
        "Parenting Capacity</th>",
        "Family and Environment</th>",
        "Risks Outside the Home</th>",
    ]
    positions = [body.index(row) for row in rows]
    assert positions == sorted(positions)  # document order
    for number, name in enumerate(NORTHSHIRE_LEVELS, start=1):
        assert f'<span class="level-tag">Level {number}</span> {name}</th>' in page
    assert "Northshire · Northshire Levels of Need (Test edition, January 2026) · Printed" in page
    assert "has no table of indicators in a form this site can show" in html(
        client, "/westmere/table/"
    )


def test_slides_have_their_own_addresses_and_unknown_slides_are_404(client):
    page = html(client, "/northshire/present/2/")
    assert 'id="slide-2" data-number="2"' in page
    assert 'data-href="/northshire/present/1/" aria-labelledby="slide-1-title" hidden' in page
    assert "Northshire: slide 2 of 6" in page  # the opening slide and one a domain
    assert "Northshire: the four levels of need</h1>" in page
    assert "Child&#x27;s Development / Health</h1>" in page
    assert html(client, "/northshire/present/") == html(client, "/northshire/present/1/")
    html(client, "/northshire/present/6/")
    html(client, "/northshire/present/0/", status=404)
    html(client, "/northshire/present/7/", status=404)
    html(client, "/westmere/present/1/")  # the opening slide only
    html(client, "/westmere/present/2/", status=404)


# --- Comparison ---------------------------------------------------------------------------------


def make_authorities(*names):
    for name in names:
        Authority.objects.create(
            slug=name.lower(),
            name=name,
            partnership=f"{name} Partnership",
            document_title=f"{name} Levels",
            edition="2026",
        )


def test_compare_needs_two_to_five_areas(client):
    page = html(client, "/compare/?authority=northshire")
    assert "Choose between 2 and 5 areas" in page
    assert "compare-table" not in page
    make_authorities("Eastfield", "Upton", "Downby")
    five = ["northshire", "southvale", "westmere", "eastfield", "upton"]
    page = html(client, "/compare/?" + "&".join(f"authority={s}" for s in five))
    assert "compare-table" in page
    assert "govuk-error-summary" not in page
    six = "&".join(f"authority={s}" for s in [*five, "downby"])
    page = html(client, f"/compare/?{six}")
    assert "compare-table" not in page
    assert "Choose between 2 and 5 areas to compare" in between(
        page, 'class="govuk-error-summary"', "</ul>"
    )


def test_compare_shows_each_areas_local_level_names_level_by_level(client):
    page = html(client, "/compare/?authority=northshire&authority=southvale&theme=learning")
    table = between(page, "compare-table", "</table>")
    assert "Learning and education: level by level" in table
    head = between(table, "<thead", "</thead>")
    assert head.index(">Northshire</th>") < head.index(">Southvale</th>")
    rows = table.split('<tr class="govuk-table__row level-')[1:]
    assert len(rows) == 4
    level_2 = rows[1]
    assert level_2.startswith("2")
    for text in [
        "Northshire Early Help",
        "Southvale Early Help",
        "Northshire education indicator 2.2",
        "Southvale learning indicator 2.2",
    ]:
        assert text in level_2
    assert "No indicators for this theme." in rows[2]  # Southvale has no learning at level 3
    assert "health indicator" not in table


def test_compare_next_steps_side_by_side_for_a_level(client):
    page = html(client, "/compare/next-steps/?authority=northshire&authority=westmere&level=2")
    northshire = between(page, 'id="area-northshire"', "</th>")
    assert "Northshire Early Help</a>" in northshire
    westmere = between(page, 'id="area-westmere"', "</th>")
    assert "The document gives no next steps for this level." in westmere
    assert page.index('id="area-northshire"') < page.index('id="area-westmere"')
    # Northshire's steps in the first column, Westmere's cell empty; then the contacts row.
    steps = between(page, "</thead>", ">Contacts</th>")
    assert "Northshire level 2 referral route." in steps
    contacts = between(page, ">Contacts</th>", "</tbody>")
    assert contacts.index("Northshire Early Help Hub</h3>") < contacts.index(
        "Westmere Family Information</h3>"
    )


# --- Light rows for lists and tables (guidance/tables.py) ---------------------------------------


def test_listed_indicators_show_what_the_models_show(client):
    from guidance.tables import listed_indicators

    northshire = Authority.objects.get(slug="northshire")
    indicators = Indicator.objects.for_authorities([northshire]).in_document_order()
    models = list(indicators.with_context())
    listed = listed_indicators(indicators, northshire)
    assert [i.pk for i in listed] == [i.pk for i in models]
    assert any(i.domain.parent_id for i in models)  # grouped domains are shown as a path too
    for light, model in zip(listed, models, strict=True):
        assert light.get_absolute_url() == model.get_absolute_url()
        assert (light.text, light.strategy_discussion) == (model.text, model.strategy_discussion)
        assert (light.domain.pk, light.domain.path) == (model.domain.pk, model.domain.path)
        assert (light.level.number, light.level.name) == (model.level.number, model.level.name)


@pytest.mark.parametrize("extra", [{}, {"query": "indicator 2"}, {"heading_level": 4}])
def test_indicator_list_is_the_same_for_models_and_light_rows(extra):
    from django.template.loader import render_to_string

    from guidance.tables import listed_indicators

    northshire = Authority.objects.get(slug="northshire")
    indicators = Indicator.objects.for_authorities([northshire]).in_document_order()
    models = render_to_string(
        "includes/indicator_list.html", {"indicators": indicators.with_context(), **extra}
    )
    listed = render_to_string(
        "includes/indicator_list.html",
        {"indicators": listed_indicators(indicators, northshire), **extra},
    )
    assert listed == models
    assert models.count("<li>") == len(indicators)
    assert ("<mark>" in models) == ("query" in extra)
    assert ("<h4 " in models) == ("heading_level" in extra)


# The indicator list as a template loop, before it was written out in `indicator_groups`.
INDICATOR_LIST_AS_A_LOOP = """{% load guidance %}{% regroup indicators by domain as domains %}
{% for group in domains %}
<h{{ heading_level|default:3 }} class="govuk-heading-s">{{ group.grouper.path }}</h{{ heading_level|default:3 }}>
<ul class="govuk-list govuk-list--bullet indicator-list">
  {% for indicator in group.list %}
  <li><a class="govuk-link govuk-link--text-colour" href="{{ indicator.get_absolute_url }}">{% if query %}{{ indicator.text|highlight:query }}{% else %}{{ indicator.text }}{% endif %}</a>{% if indicator.strategy_discussion %} <strong class="govuk-tag govuk-tag--red">Strategy discussion</strong>{% endif %}</li>
  {% endfor %}
</ul>
{% endfor %}
"""  # noqa: E501


@pytest.mark.parametrize("extra", [{}, {"query": "indicator <"}, {"heading_level": 4}])
def test_indicator_list_markup_is_what_the_template_loop_gave(extra):
    from django.template import engines
    from django.template.loader import render_to_string

    indicators = Indicator.objects.for_authorities(Authority.objects.all()).with_context()
    context = {"indicators": indicators.in_document_order(), **extra}
    loop = engines["django"].from_string(INDICATOR_LIST_AS_A_LOOP)
    assert render_to_string("includes/indicator_list.html", context) == loop.render(context)
    assert "Strategy discussion" in loop.render(context)


# --- Parts written out in Python: the same markup as the template loops they replaced -----------

AREA_LIST_AS_A_LOOP = """{% for authority in authorities %}
      <li><a class="govuk-link govuk-!-font-weight-bold" href="{{ authority.url }}">{{ authority.name }}</a><br>
        <span class="govuk-body-s">{{ authority.partnership }}: {{ authority.document_title }} ({{ authority.edition }})</span></li>
      {% endfor %}"""  # noqa: E501


def test_area_list_markup_is_what_the_template_loop_gave():
    from django.template import engines

    from guidance.templatetags.guidance import area_list

    areas = [
        {
            "url": "/a&b/",
            "name": "Area <1>",
            "partnership": "P's & Q's",
            "document_title": 'The "Levels"',
            "edition": "2026",
        },
        {"url": "/b/", "name": "B", "partnership": "", "document_title": "", "edition": ""},
    ]
    loop = engines["django"].from_string(AREA_LIST_AS_A_LOOP)
    assert area_list(areas) == loop.render({"authorities": areas})


SLIDE_COLUMNS_AS_A_LOOP = """{% load guidance %}{% for level, cell, none in slide.columns %}
        <div class="slide__cell level-{{ level.number }}">
          <h2 class="slide__level"><span class="level-tag">Level {{ level.number }}</span> {{ level.name }}</h2>
          {% if slide.row %}
            {% if cell %}{{ cell|slide_cell }}{% elif none %}<p class="slide__none">None at this level</p>{% endif %}
          {% else %}
            <p class="slide__text">{{ level.summary }}</p>
          {% endif %}
        </div>
        {% endfor %}"""  # noqa: E501


def test_slide_columns_markup_is_what_the_template_loop_gave():
    from django.template import engines

    from guidance.tables import slides
    from guidance.templatetags.guidance import slide_columns

    loop = engines["django"].from_string(SLIDE_COLUMNS_AS_A_LOOP)
    for slug in ("northshire", "westmere"):
        authority = Authority.objects.get(slug=slug)
        level = authority.levels.get(number=2)
        level.name, level.summary = "Early <help> & more", 'Says "what" it\'s for'
        deck = slides(authority)
        for slide in deck:
            slide.columns = [
                (level if column_level.number == 2 else column_level, cell, none)
                for column_level, cell, none in slide.columns
            ]
            assert slide_columns(slide) == loop.render({"slide": slide})
    assert len(deck) == 1  # Westmere: the levels' slide only


# includes/gds/described_by.html and field_errors.html, before they were the filters.
DESCRIBED_BY_AS_AN_INCLUDE = """{% if field.help_text or field.errors %} aria-describedby="{% if field.help_text %}{{ field.auto_id }}_hint{% endif %}{% for error in field.errors %} {{ field.auto_id }}_{{ forloop.counter }}_error{% endfor %}"{% endif %}
"""  # noqa: E501
FIELD_ERRORS_AS_AN_INCLUDE = """{% for error in field.errors %}<p id="{{ field.auto_id }}_{{ forloop.counter }}_error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {{ error }}</p>{% endfor %}
"""  # noqa: E501


@pytest.mark.parametrize(
    "data",
    [{}, {"q": "x" * 300, "level": ["9", "<b>"], "theme": ["nowhere"], "domain": "Atlantis"}],
)
def test_field_filters_write_what_the_includes_wrote(data):
    from django.http import QueryDict
    from django.template import engines

    from guidance.filters import IndicatorFilter
    from guidance.templatetags.guidance import described_by, field_errors

    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    northshire = Authority.objects.get(slug="northshire")
    form = IndicatorFilter(query, Indicator.objects.all(), authority=northshire).form
    form.is_valid()
    engine = engines["django"]
    for field in form:
        context = {"field": field}
        assert described_by(field) == engine.from_string(DESCRIBED_BY_AS_AN_INCLUDE).render(context)
        assert field_errors(field) == engine.from_string(FIELD_ERRORS_AS_AN_INCLUDE).render(context)
    assert bool(form.errors) == bool(data)


@pytest.mark.parametrize("value", [None, "", "family", "nowhere", "<&>"])
def test_the_select_written_in_python_is_djangos(value):
    from django import forms

    from guidance.forms import Select

    choices = [("", "All"), ("family", "Family & <home>"), ("Group", [("a", "A"), ("b", "B's")])]
    attrs = {"class": "govuk-select", "aria-describedby": "id_theme_hint", "required": True}
    ours = Select(choices=choices, attrs={"disabled": False}).render("theme", value, attrs)
    django = forms.Select(choices=choices, attrs={"disabled": False}).render("theme", value, attrs)
    assert ours == django


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"authority": ["northshire", "southvale"], "level": "4"},
        {"authority": ["northshire"], "level": "9"},
        {"authority": ["northshire", "southvale"]},
        {"level": "<b>"},
    ],
)
def test_inline_radios_are_what_crispy_forms_lays_out(data):
    from django.template import engines

    from guidance.forms import NextStepsCompareForm

    form = NextStepsCompareForm(data)
    if data:
        form.is_valid()
    engine = engines["django"]
    crispy = engine.from_string("{% load crispy_forms_tags %}{% crispy form %}")
    ours = engine.from_string("{% load guidance %}{{ form.level|inline_radios }}")
    assert ours.render({"form": form}) == crispy.render({"form": form})
    assert ("govuk-error-message" in ours.render({"form": form})) == bool(form.errors.get("level"))
