"""Case addresses: closing the loop with the complainant (see urls.py)."""

from django.urls import URLPattern, path

from meesaq.cases.views import feedback

urlpatterns: list[URLPattern] = [
    path("<str:reference>/feedback/answer/", feedback.feedback_answer, name="feedback_answer"),
    path("<str:reference>/feedback/reopen/", feedback.feedback_reopen, name="feedback_reopen"),
]
