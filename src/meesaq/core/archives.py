"""Zip-based files (XLSX, DOCX, ODT) are judged by what they would unpack to, before opening.

A zip bomb is a small file that unpacks to gigabytes. Python's ``zipfile`` never inflates a member
beyond the size the archive's central directory declares (it stops there and fails the CRC
check), and openpyxl reads through ``zipfile``; so the declared sizes bound the work, and an
archive whose members declare too much in all, or that has too many members, is refused before
any reader opens it. Data that is not a zip archive is left to the caller's own checks.
"""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from meesaq.core.errors import MeesaqError

ZIP_MAGIC = b"PK\x03\x04"
MAX_MEMBERS = 2000  # a large spreadsheet or document has a few dozen


def max_unpacked_bytes() -> int:
    """Return the most a zip-based file may unpack to, from MEESAQ_MAX_UNPACKED_MB."""
    return int(settings.MEESAQ_MAX_UNPACKED_MB) * 1024 * 1024


def check_archive(data: bytes) -> None:
    """Refuse a zip archive that would unpack to more than the limit or holds too many members."""
    if not data.startswith(ZIP_MAGIC):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return  # not readable as an archive: the reader's own check refuses it
    limit = max_unpacked_bytes()
    if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > limit:
        message = _(
            "This file would unpack to more than %(mb)d MB: it is damaged or built to overload "
            "the server, and was not opened."
        ) % {"mb": limit // (1024 * 1024)}
        raise MeesaqError(message, code="archive_too_large", fields={"file": [message]})
