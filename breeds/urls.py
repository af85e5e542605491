from django.urls import path

from breeds import views

app_name = "breeds"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("breeds/", views.breed_list, name="breed_list"),
    path("breeds/<str:breed>/", views.breed_detail, name="breed"),
    path("breeds/<str:breed>/<str:sub_breed>/", views.breed_detail, name="sub_breed"),
]
