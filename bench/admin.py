"""The Django admin's changelist over the cases: the baseline "what a team might build instead".

Only the benchmark settings install the admin (``bench/settings.py``); Meesaq itself has none.
The changelist shows the case list's columns and filters, 25 rows a page, with the admin's
defaults otherwise (it counts the rows matching the filters on every page).
"""

from __future__ import annotations

from django.contrib import admin

from meesaq.cases.models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # stubs: generic model
    """The case list as the admin would give it."""

    list_display = (
        "reference",
        "received_at",
        "title",
        "category",
        "district",
        "status",
        "priority",
        "assigned_to",
    )
    list_filter = ("status", "priority", "channel")
    list_select_related = ("category", "district", "assigned_to")
    ordering = ("-received_at", "-id")
    list_per_page = 25
    # The list never reads identity: the encrypted columns stay out of the query.
    exclude = ("narrative", "place")

    def get_queryset(self, request):  # type: ignore[no-untyped-def]  # Django's signature
        """Leave the encrypted columns unread, as the case list does."""
        return super().get_queryset(request).defer("narrative", "place")
