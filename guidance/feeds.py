"""Atom feeds of published editions: one per area and one for every area
(django.contrib.syndication), so practitioners and partners can follow changes."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import editions
from .models import Authority, Edition

FEED_ITEMS = 20


class EditionsFeed(Feed):
    """Every area's editions, newest first."""

    feed_type = Atom1Feed
    title = "Threshold guidance: new editions"
    subtitle = "Each new edition of an area's threshold guidance, with what changed."
    author_name = "Threshold guidance"

    def link(self):
        return reverse("guidance:home")

    def items(self):
        items = Edition.objects.filter(authority__draft_of__isnull=True).select_related("authority")
        return list(items.order_by("-published_at", "-pk")[:FEED_ITEMS])

    def item_title(self, edition):
        return f"{edition.authority.name}: edition {edition.number}"

    def item_description(self, edition):
        (edition,) = editions.with_changes(edition.authority, [edition])
        return render_to_string("guidance/edition_entry.html", {"edition": edition})

    def item_link(self, edition):
        return edition.get_absolute_url()

    def item_pubdate(self, edition):
        return edition.published_at

    def item_updateddate(self, edition):
        return edition.published_at

    def item_guid(self, edition):
        # Stable across hosts' page addresses: the area and the number name an edition for good.
        return f"tag:threshold-guidance,2026:{edition.authority.slug}/edition/{edition.number}"

    item_guid_is_permalink = False


class AreaEditionsFeed(EditionsFeed):
    """One area's editions."""

    def get_object(self, request, slug):
        authority = Authority.objects.published().filter(slug=slug).first()
        if authority is None:
            raise Http404("No such area")
        return authority

    def title(self, authority):
        return f"{authority.name}: threshold guidance editions"

    def subtitle(self, authority):
        return f"Each new edition of {authority.document_title}, with what changed."

    def link(self, authority):
        return reverse("guidance:changes", args=[authority.slug])

    def items(self, authority):
        return list(authority.editions.select_related("authority")[:FEED_ITEMS])
