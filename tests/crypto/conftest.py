"""Fixed test keys and a maker of protected records for the crypto tests."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from pytest_django.fixtures import Settings

from meesaq.crypto.blind_index import index_for_cnic, index_for_phone
from meesaq.orgs.models import OrganisationKind
from tests.personas import LAHORE, make_organisation
from tests.testapp.models import ProtectedRecord


def b64(byte: int) -> str:
    """Return a 32-byte key made of one repeated byte, in base64."""
    return base64.b64encode(bytes([byte]) * 32).decode()


OLD_KEY = b64(0x11)
NEW_KEY = b64(0x22)
INDEX_KEY = b64(0x33)
OTHER_INDEX_KEY = b64(0x44)

NAME = "Shazia Bibi Masih"
CNIC = "35202-9876543-2"
CNIC_DIGITS = "3520298765432"
PHONE = "0321-7654321"
PHONE_E164 = "+923217654321"

MakeRecord = Callable[..., ProtectedRecord]


@pytest.fixture(autouse=True)
def _test_keys(settings: Settings) -> None:
    """Run every crypto test with known keys: only the old key, as before a rotation."""
    settings.MEESAQ_ENCRYPTION_KEYS = f"k1:{OLD_KEY}"
    settings.MEESAQ_BLIND_INDEX_KEY = INDEX_KEY


@pytest.fixture
def make_record(db: None) -> MakeRecord:
    """Return a function that saves a ProtectedRecord with identity fields and their indexes."""
    organisation = make_organisation("crypto-centre", OrganisationKind.POLICE_CENTRE, LAHORE)

    def make(*, full_name: str = NAME, cnic: str = CNIC, phone: str = PHONE) -> ProtectedRecord:
        return ProtectedRecord.objects.create(
            organisation=organisation,
            jurisdiction=organisation.jurisdiction,
            title="A complaint",
            full_name=full_name,
            cnic=cnic,
            cnic_index=index_for_cnic(cnic),
            phone=phone,
            phone_index=index_for_phone(phone),
        )

    return make
