from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("breeds.api.urls")),
    path("", include("breeds.urls")),
]

# Unhandled errors under /api/ get the API's JSON error shape.
handler500 = "breeds.api.views.server_error"
