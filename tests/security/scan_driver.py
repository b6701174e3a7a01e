"""Run inside a fresh Meesaq process by test_nothing_in_the_clear: use the site, then report.

It signs in as demo staff, searches by a person's CNIC, phone and name, opens case pages with
identities, downloads a summary PDF, writes a SQL text dump of the database, and prints every
decrypted identity value (the canaries the scan looks for) as JSON on its last line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import django


def main() -> None:
    """Exercise the site and print the canaries."""
    django.setup()
    from django.apps import apps
    from django.db import connection
    from django.test import Client

    from meesaq.accounts.models import User
    from meesaq.cases.models import Case, Person
    from meesaq.crypto.fields import EncryptedTextField

    canaries: set[str] = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField)]
        for row in model._default_manager.values_list(*fields) if fields else []:
            canaries.update(value for value in row if value)

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="supervisor.lahore"))
    person = (
        Person.objects.exclude(cnic="")
        .exclude(phone="")
        .filter(case_links__case__organisation__code="demo-lhr-police-centre")
        .first()
    )
    assert person is not None
    for query in (person.cnic, person.phone, person.full_name):
        assert client.post("/en/cases/", {"q": query}, follow=True).status_code == 200
    for case in Case.objects.filter(organisation__code="demo-lhr-police-centre")[:5]:
        assert client.get(case.get_absolute_url()).status_code == 200
        client.get(case.get_absolute_url() + "summary.pdf")
    if connection.vendor == "sqlite":
        Path(sys.argv[1]).write_text("\n".join(connection.connection.iterdump()), "utf-8")
    print(json.dumps(sorted(canaries)))


if __name__ == "__main__":
    main()
