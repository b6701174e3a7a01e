from django.urls import URLPattern, path

from meesaq.geo import views

app_name = "geo"

# "new/" comes before "<str:pcode>/": P-codes are upper case, but the order makes it certain.
urlpatterns: list[URLPattern] = [
    path("", views.unit_list, name="list"),
    path("new/", views.unit_new, name="create"),
    path("<str:pcode>/", views.unit_detail, name="detail"),
    path("<str:pcode>/edit/", views.unit_edit, name="edit"),
]
