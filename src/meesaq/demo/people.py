"""Synthetic people for the demo, the tests and the benchmarks: reproducible, and never real.

Every demo, test and benchmark draws its people here, so no data set of the project ever holds
a real person's identifiers:

- CNIC-shaped numbers start with 0. A real CNIC (``PDDDT-NNNNNNN-G``) starts with the
  province's digit (1 Khyber Pakhtunkhwa, 2 former FATA, 3 Punjab, 4 Sindh, 5 Balochistan,
  6 Islamabad, 7 Gilgit-Baltistan, 8 Azad Kashmir by some accounts); no locality code starts
  with 0. The last digit keeps the real rule: odd for men, even for women.
- Phone numbers are mobile-shaped (``03XX-XXXXXXX``) in the 0390 block (+92 390). Operators
  hold 030x-034x and 0355; the 039x block is unallocated in PTA's numbering plan to the best
  of our knowledge, so the numbers cannot reach a subscriber. ``is_synthetic_phone`` guards it.
- Addresses are a street, a mohalla and a town, never a house number.

The generator uses ``random.Random(seed)`` only, so a seed always gives the same people.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Final

from meesaq.demo.names import COMMUNITIES, MOHALLAS, STREETS, TOWNS, Community, Name

FAITHS: Final = tuple(community.faith for community in COMMUNITIES)
GENDERS: Final = ("female", "male", "transgender")
GENDER_WEIGHTS: Final = (49, 49, 2)
AGE_BANDS: Final = ("0-17", "18-29", "30-44", "45-59", "60+")
AGE_BAND_WEIGHTS: Final = (10, 30, 30, 20, 10)

SYNTHETIC_PHONE_PREFIX: Final = "0390"
_CNIC_SHAPE = re.compile(r"^\d{5}-\d{7}-\d$")
_NATIONAL_PHONE = re.compile(r"^0\d{10}$")
_COMMUNITIES_BY_FAITH = {community.faith: community for community in COMMUNITIES}


@dataclass(frozen=True)
class SyntheticPerson:
    """An invented person: names in both scripts, identifiers from the synthetic ranges."""

    given_name_en: str
    family_name_en: str
    given_name_ur: str
    family_name_ur: str
    father_name_en: str
    father_name_ur: str
    gender: str
    faith: str
    age_band: str
    cnic: str
    phone: str
    address_en: str
    address_ur: str

    @property
    def full_name_en(self) -> str:
        """Return the given and family names in English."""
        return f"{self.given_name_en} {self.family_name_en}"

    @property
    def full_name_ur(self) -> str:
        """Return the given and family names in Urdu."""
        return f"{self.given_name_ur} {self.family_name_ur}"


def is_synthetic_cnic(value: str) -> bool:
    """Say whether a value is a CNIC-shaped number from the synthetic range (first digit 0)."""
    value = value.strip()
    if "-" not in value and len(value) == 13 and value.isdigit():  # noqa: PLR2004  # CNIC length
        value = f"{value[:5]}-{value[5:12]}-{value[12]}"
    return bool(_CNIC_SHAPE.match(value)) and value.startswith("0")


def is_synthetic_phone(value: str) -> bool:
    """Say whether a phone number, in any usual spelling, lies in the unallocated 0390 block."""
    digits = "".join(character for character in value if character.isdigit())
    if value.strip().startswith("+"):
        digits = f"00{digits}"
    if digits.startswith("0092"):
        digits = f"0{digits[4:]}"
    elif digits.startswith("92") and len(digits) == 12:  # noqa: PLR2004  # 92 + 10 digits
        digits = f"0{digits[2:]}"
    return bool(_NATIONAL_PHONE.match(digits)) and digits.startswith(SYNTHETIC_PHONE_PREFIX)


class PeopleGenerator:
    """Draw synthetic people; the same seed always gives the same sequence."""

    def __init__(self, seed: int) -> None:
        # Reproducible test data, not security: a seeded Mersenne Twister is what is wanted.
        self._random = random.Random(seed)  # noqa: S311

    def person(self, *, faith: str | None = None, gender: str | None = None) -> SyntheticPerson:
        """Return one synthetic person, optionally of a given faith or gender."""
        community = self._community(faith)
        if gender is None:
            gender = self._random.choices(GENDERS, weights=GENDER_WEIGHTS)[0]
        elif gender not in GENDERS:
            raise ValueError(f"Unknown gender {gender!r}; expected one of {GENDERS}.")
        # Transgender people (khawaja sira) mostly carry names from the women's lists.
        given = self._pick(community.male if gender == "male" else community.female)
        clan = self._pick(community.family)
        family = clan
        if (
            gender != "male"
            and community.female_family
            and self._random.random() < community.female_family_share
        ):
            family = self._pick(community.female_family)
        father = self._pick(community.male)
        address_en, address_ur = self._address()
        return SyntheticPerson(
            given_name_en=given[0],
            family_name_en=family[0],
            given_name_ur=given[1],
            family_name_ur=family[1],
            father_name_en=f"{father[0]} {clan[0]}",
            father_name_ur=f"{father[1]} {clan[1]}",
            gender=gender,
            faith=community.faith,
            age_band=self._random.choices(AGE_BANDS, weights=AGE_BAND_WEIGHTS)[0],
            cnic=self.cnic(gender),
            phone=self.phone(),
            address_en=address_en,
            address_ur=address_ur,
        )

    def people(self, count: int) -> list[SyntheticPerson]:
        """Return ``count`` synthetic people."""
        return [self.person() for _ in range(count)]

    def cnic(self, gender: str) -> str:
        """Return a CNIC-shaped number starting with 0, its last digit odd for men, even for women.

        No parity rule is known for other genders, so their last digit is any digit.
        """
        locality = "".join(str(self._random.randrange(10)) for _ in range(4))
        serial = "".join(str(self._random.randrange(10)) for _ in range(7))
        check = self._random.randrange(10)
        if gender == "male":
            check = check | 1
        elif gender == "female":
            check = check & ~1
        return f"0{locality}-{serial}-{check}"

    def phone(self) -> str:
        """Return a mobile-shaped number in the unallocated 0390 block, as 0390-XXXXXXX."""
        subscriber = "".join(str(self._random.randrange(10)) for _ in range(7))
        return f"{SYNTHETIC_PHONE_PREFIX}-{subscriber}"

    def street_address(self, *, town: str | None = None) -> str:
        """Return a generic address in English: a street, a mohalla and a town, no house number."""
        street, mohalla, chosen_town = self._address_parts()
        return f"{street[0]}, {mohalla[0]}, {town or chosen_town[0]}"

    def _address(self) -> tuple[str, str]:
        street, mohalla, town = self._address_parts()
        return (
            f"{street[0]}, {mohalla[0]}, {town[0]}",
            f"{street[1]}، {mohalla[1]}، {town[1]}",
        )

    def _address_parts(self) -> tuple[Name, Name, Name]:
        return self._pick(STREETS), self._pick(MOHALLAS), self._pick(TOWNS)

    def _community(self, faith: str | None) -> Community:
        if faith is None:
            return self._random.choices(
                COMMUNITIES, weights=[community.weight for community in COMMUNITIES]
            )[0]
        try:
            return _COMMUNITIES_BY_FAITH[faith]
        except KeyError:
            raise ValueError(f"Unknown faith {faith!r}; expected one of {FAITHS}.") from None

    def _pick(self, names: tuple[Name, ...]) -> Name:
        return self._random.choice(names)
