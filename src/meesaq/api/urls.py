"""The staff pages of the API: one's personal tokens (under /<lang>/api/)."""

from django.urls import path

from meesaq.api import views

app_name = "api"

urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
