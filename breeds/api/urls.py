from django.urls import path, re_path

from breeds.api import views

app_name = "api"

# The images routes come before the sub-breed route, which would otherwise
# read "images" as a sub-breed name. The Dog API has no sub-breed of that name.
urlpatterns = [
    path("breeds/", views.breed_list, name="breed_list"),
    path("breeds/<str:breed>/", views.breed_detail, name="breed"),
    path("breeds/<str:breed>/images/", views.breed_images, name="breed_images"),
    path(
        "breeds/<str:breed>/<str:sub_breed>/images/",
        views.breed_images,
        name="sub_breed_images",
    ),
    path("breeds/<str:breed>/<str:sub_breed>/", views.breed_detail, name="sub_breed"),
    path("search/", views.search, name="search"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
    path("schema/", views.schema, name="schema"),
    # Any other path under /api/, so that it gets a JSON 404, not the HTML page.
    re_path(r"^", views.unknown_path, name="unknown_path"),
]
