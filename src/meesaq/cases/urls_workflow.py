"""Case addresses: the workflow part (see urls.py): status, officer, priority, timeline, files."""

from django.urls import URLPattern, path

from meesaq.cases.views import actions, attachments, workflow

urlpatterns: list[URLPattern] = [
    path("<str:reference>/status/", workflow.case_transition, name="transition"),
    path("<str:reference>/assign/", workflow.case_assign, name="assign"),
    path("<str:reference>/priority/", workflow.case_priority, name="priority"),
    path("<str:reference>/moderation/", workflow.case_moderation, name="moderation"),
    path("<str:reference>/actions/add/", actions.action_add, name="action_add"),
    path(
        "<str:reference>/attachments/add/",
        attachments.attachment_upload,
        name="attachment_upload",
    ),
    path(
        "<str:reference>/attachments/<int:attachment_id>/",
        attachments.attachment_download,
        name="attachment_download",
    ),
]
