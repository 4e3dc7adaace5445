from django.urls import path

from . import notes, offline, views
from .caching import per_authority, site_wide
from .feeds import AreaEditionsFeed, EditionsFeed
from .views import previewing


def area_page(view):
    """A page of one area: cached by its version, or a draft's private preview."""
    return per_authority(previewing(view))


app_name = "guidance"

# Public pages are cached whole under the versions they show (guidance/caching.py).
urlpatterns = [
    path("", site_wide(views.home), name="home"),
    path("search/", site_wide(views.search), name="search"),
    path("compare/", site_wide(views.compare), name="compare"),
    path("compare/next-steps/", site_wide(views.compare_next_steps), name="compare_next_steps"),
    # Before the authorities' addresses: no authority can be called "offline".
    path("offline/", site_wide(offline.offline_page), name="offline"),
    path("offline/assets.json", site_wide(offline.shell), name="offline_shell"),
    path("changes/feed/", site_wide(EditionsFeed()), name="changes_feed_all"),
    path("<slug:slug>/", area_page(views.authority_detail), name="authority"),
    path("<slug:slug>/level/<int:number>/", area_page(views.level_detail), name="level"),
    path("<slug:slug>/indicators/", area_page(views.indicator_list), name="indicators"),
    path("<slug:slug>/table/", area_page(views.level_table_view), name="level_table"),
    # My notes: the noted indicators are the query string, part of the cache key already.
    path("<slug:slug>/notes/", area_page(notes.notes_page), name="notes"),
    path("<slug:slug>/present/", area_page(views.presentation), name="present_start"),
    path("<slug:slug>/present/<int:number>/", area_page(views.presentation), name="present"),
    path("<slug:slug>/changes/", area_page(views.changes), name="changes"),
    path("<slug:slug>/changes/feed/", per_authority(AreaEditionsFeed()), name="changes_feed"),
    path(
        "<slug:slug>/changes/<int:number>.yaml",
        per_authority(views.edition_document),
        name="edition_document",
    ),
    path("<slug:slug>/offline.json", per_authority(offline.area), name="offline_area"),
    path("<slug:slug>/indicators/<int:pk>/", area_page(views.indicator_detail), name="indicator"),
    path("<slug:slug>/guidance/<slug:section>/", area_page(views.section_detail), name="section"),
]
