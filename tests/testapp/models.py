"""A stand-in for the identity-bearing modules to come (cases, beneficiaries).

It exercises the access module's extension points and the encrypted fields exactly as a real
module will: an owning organisation, a place, and identity fields, encrypted, with blind indexes
beside the ones that are looked up.
"""

from __future__ import annotations

from django.db import models

from meesaq.crypto.fields import EncryptedTextField


class ProtectedRecord(models.Model):
    """A row owned by an organisation, placed at a jurisdiction, carrying an identity."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT)
    jurisdiction = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT)
    title = models.CharField(max_length=100)
    full_name = EncryptedTextField(max_length=200, blank=True)
    cnic = EncryptedTextField(blank=True)
    cnic_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone = EncryptedTextField(blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return self.title
