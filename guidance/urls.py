from django.urls import path

from . import views

app_name = "guidance"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("<slug:slug>/", views.authority_detail, name="authority"),
    path("<slug:slug>/level/<int:number>/", views.level_detail, name="level"),
    path("<slug:slug>/indicators/", views.indicator_list, name="indicators"),
    path("<slug:slug>/indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path("<slug:slug>/guidance/<slug:section>/", views.section_detail, name="section"),
]
