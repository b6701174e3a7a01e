"""Case addresses: the page part (see urls.py).

The reference is matched by its shape (PB-LHR-2026-000123), not as any string, so that these
patterns never shadow a fixed address of another part (``intake/``, ``taxonomy/``…) whatever
the order of the includes.
"""

from django.urls import URLPattern, re_path

from meesaq.cases.views.page import case_detail
from meesaq.cases.views.pdf import case_summary_pdf

REFERENCE = r"(?P<reference>[A-Z]{2}-[A-Z0-9]{3}-\d{4}-\d{6,})"

urlpatterns: list[URLPattern] = [
    re_path(rf"^{REFERENCE}/$", case_detail, name="detail"),
    re_path(rf"^{REFERENCE}/summary\.pdf$", case_summary_pdf, name="summary_pdf"),
]
