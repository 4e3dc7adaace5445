from django.urls import path

from . import views

app_name = "guidance"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("compare/", views.compare, name="compare"),
    path("compare/next-steps/", views.compare_next_steps, name="compare_next_steps"),
    path("<slug:slug>/", views.authority_detail, name="authority"),
    path("<slug:slug>/level/<int:number>/", views.level_detail, name="level"),
    path("<slug:slug>/indicators/", views.indicator_list, name="indicators"),
    path("<slug:slug>/table/", views.level_table_view, name="level_table"),
    path("<slug:slug>/present/", views.presentation, name="present_start"),
    path("<slug:slug>/present/<int:number>/", views.presentation, name="present"),
    path("<slug:slug>/indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path("<slug:slug>/guidance/<slug:section>/", views.section_detail, name="section"),
]
