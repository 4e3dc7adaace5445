from django.urls import path

from . import offline, views
from .caching import per_authority, site_wide

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
    path("<slug:slug>/", per_authority(views.authority_detail), name="authority"),
    path("<slug:slug>/level/<int:number>/", per_authority(views.level_detail), name="level"),
    path("<slug:slug>/indicators/", per_authority(views.indicator_list), name="indicators"),
    path("<slug:slug>/table/", per_authority(views.level_table_view), name="level_table"),
    path("<slug:slug>/present/", per_authority(views.presentation), name="present_start"),
    path("<slug:slug>/present/<int:number>/", per_authority(views.presentation), name="present"),
    path("<slug:slug>/offline.json", per_authority(offline.area), name="offline_area"),
    path(
        "<slug:slug>/indicators/<int:pk>/", per_authority(views.indicator_detail), name="indicator"
    ),
    path(
        "<slug:slug>/guidance/<slug:section>/", per_authority(views.section_detail), name="section"
    ),
]
