"""The Urdu catalogue is complete, compiled, and covers every string in the code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "meesaq"
PO = PACKAGE / "locale" / "ur" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_urdu_entry_is_translated_and_not_fuzzy() -> None:
    catalogue = polib.pofile(str(PO))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == []
    assert fuzzy == []
    assert len(catalogue.translated_entries()) > 100


def test_the_compiled_catalogue_matches_the_source() -> None:
    source = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.pofile(str(PO))}
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO))}
    stale = sorted(str(key[1]) for key in source if source[key] != compiled.get(key))
    assert stale == [], "run `make messages` to recompile the catalogue"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_catalogue_holds_every_translatable_string_in_the_code(tmp_path: Path) -> None:
    copy = tmp_path / "meesaq"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(  # fixed arguments, our own tree
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "ur",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        check=True,
        capture_output=True,
    )
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale/ur/LC_MESSAGES/django.po"))}
    known = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert sorted(extracted - known) == [], "run `make messages` and translate the new strings"
