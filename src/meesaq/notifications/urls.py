from django.urls import path

from meesaq.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("jobs/", views.job_list, name="jobs"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:template_id>/", views.template_edit, name="template_edit"),
]
