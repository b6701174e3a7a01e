"""The public portal's addresses (under the language prefix) and the routing settings page."""

from django.urls import URLPattern, path

from meesaq.portal import views, views_routing

app_name = "portal"

urlpatterns: list[URLPattern] = [
    path("report/", views.landing, name="landing"),
    path("report/done/", views.done, name="done"),
    path("report/<slug:step>/", views.report_step, name="report_step"),
    path("track/", views.track, name="track"),
    path("track/status/", views.status, name="status"),
    path("track/add/", views.add_information, name="add_information"),
    path("track/leave/", views.leave, name="leave"),
    path("portal/routing/", views_routing.routing, name="routing"),
    path(
        "portal/routing/<int:rule_id>/delete/", views_routing.routing_delete, name="routing_delete"
    ),
]
