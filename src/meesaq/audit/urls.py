from django.urls import path

from meesaq.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("verify/", views.verify, name="verify"),
]
