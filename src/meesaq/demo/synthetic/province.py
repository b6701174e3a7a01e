"""The synthetic province's fixed parts: its districts and their weights, organisations, staff.

One police centre and one partner NGO per district of the province, a provincial department,
and in every district an intake officer, two case officers, a supervisor and a partner
caseworker (usernames ``bench.<role>.<district P-code>``). Staff are demo users (``is_demo``),
signing in with the demo password; like the demo, all of it is refused in production mode.
Created once and found again by code and username, so a rerun changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.cases.references import reference_prefix
from meesaq.demo.province import demo_password, demo_refuse_in_production
from meesaq.geo.loader import load_places
from meesaq.geo.models import AdminUnit, Level
from meesaq.orgs.models import Membership, Organisation, OrganisationKind

PROVINCE = "PK6"  # Punjab: the province with the most districts and the most complaints
DEPARTMENT_CODE = "bench-province"
PROVINCIAL_USERNAME = "bench.provincial"
ANALYST_USERNAME = "bench.analyst"


@dataclass(frozen=True)
class District:
    """One district of the synthetic province and the people who work its cases."""

    pcode: str
    path: str
    weight: float
    tehsils: tuple[str, ...]
    centre_id: int
    ngo_id: int
    intake_id: int
    officer_ids: tuple[int, int]
    supervisor_id: int
    partner_id: int
    centre_code: str
    ngo_code: str

    def reference_prefix(self, year: int) -> str:
        """Return the case reference prefix of this district for a year."""
        return reference_prefix(district=AdminUnit(pcode=self.pcode, path=self.path), year=year)


@dataclass(frozen=True)
class Province:
    """The districts with their staff, the department and its provincial officer."""

    districts: tuple[District, ...]
    department_id: int
    provincial_id: int
    analyst_id: int

    def by_centre(self) -> dict[int, District]:
        """Return the districts by the id of their police centre."""
        return {district.centre_id: district for district in self.districts}


def username(role: str, pcode: str) -> str:
    """Return the username of a district's synthetic staff member."""
    return f"bench.{role}.{pcode.lower()}"


def _weights(districts: list[AdminUnit], tehsils: dict[str, list[str]]) -> dict[str, float]:
    """Return each district's share of the cases: its population where the places carry it.

    The bundled reference data has no population figures yet (``AdminUnit.population`` is
    empty after ``load-places``). Without them, districts are ranked by their number of tehsils
    (bigger districts have more) and given Zipf weights (1/rank), so that a few districts carry
    most of the caseload, as in real registers.
    """
    if districts and all(unit.population for unit in districts):
        return {unit.pcode: float(unit.population or 0) for unit in districts}
    ranked = sorted(districts, key=lambda unit: (-len(tehsils.get(unit.pcode, [])), unit.pcode))
    return {unit.pcode: 1 / (rank + 1) for rank, unit in enumerate(ranked)}


def _organisation(code: str, name: str, kind: str, unit: AdminUnit) -> Organisation:
    found, _created = Organisation.objects.get_or_create(
        code=code, defaults={"name_en": name, "kind": kind, "jurisdiction": unit}
    )
    return found


def _user(name: str, organisation: Organisation, role: Role, password_hash: str) -> int:
    user = User.objects.filter(username=name).first()
    if user is None:
        user = User.objects.create(
            username=name, password=password_hash, is_demo=True, first_name="Bench", last_name=name
        )
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return int(user.pk)


def province_ensure() -> Province:
    """Create whatever of the synthetic province's organisations and staff is missing."""
    demo_refuse_in_production()
    if not AdminUnit.objects.exists():
        load_places()
    # One hash for every synthetic account: hashing the demo password 200 times takes a minute.
    password_hash = make_password(demo_password()[0])
    province = AdminUnit.objects.get(pcode=PROVINCE)
    units = list(
        AdminUnit.objects.filter(level=Level.DISTRICT, path__startswith=province.path + "/")
    )
    tehsils: dict[str, list[str]] = {}
    for pcode, parent in AdminUnit.objects.filter(level=Level.TEHSIL, parent__in=units).values_list(
        "pcode", "parent_id"
    ):
        tehsils.setdefault(str(parent), []).append(str(pcode))
    weights = _weights(units, tehsils)
    with transaction.atomic():
        department = _organisation(
            DEPARTMENT_CODE,
            "Synthetic provincial department (benchmark)",
            OrganisationKind.MINORITIES_AFFAIRS_OFFICE,
            province,
        )
        provincial = _user(PROVINCIAL_USERNAME, department, Role.PROVINCIAL_OFFICER, password_hash)
        analyst = _user(ANALYST_USERNAME, department, Role.ANALYST, password_hash)
        districts = []
        for unit in sorted(units, key=lambda u: u.pcode):
            code = unit.pcode.lower()
            centre = _organisation(
                f"bench-{code}-centre",
                f"Synthetic centre {unit.name_en} (benchmark)",
                OrganisationKind.POLICE_CENTRE,
                unit,
            )
            ngo = _organisation(
                f"bench-{code}-ngo",
                f"Synthetic partner {unit.name_en} (benchmark)",
                OrganisationKind.CIVIL_SOCIETY,
                unit,
            )
            districts.append(
                District(
                    pcode=unit.pcode,
                    path=unit.path,
                    weight=weights[unit.pcode],
                    tehsils=tuple(sorted(tehsils.get(unit.pcode, []))),
                    centre_id=int(centre.pk),
                    ngo_id=int(ngo.pk),
                    intake_id=_user(
                        username("intake", unit.pcode), centre, Role.INTAKE_OFFICER, password_hash
                    ),
                    officer_ids=(
                        _user(
                            username("officer1", unit.pcode),
                            centre,
                            Role.CASE_OFFICER,
                            password_hash,
                        ),
                        _user(
                            username("officer2", unit.pcode),
                            centre,
                            Role.CASE_OFFICER,
                            password_hash,
                        ),
                    ),
                    supervisor_id=_user(
                        username("supervisor", unit.pcode), centre, Role.SUPERVISOR, password_hash
                    ),
                    partner_id=_user(
                        username("partner", unit.pcode),
                        ngo,
                        Role.PARTNER_CASEWORKER,
                        password_hash,
                    ),
                    centre_code=centre.code,
                    ngo_code=ngo.code,
                )
            )
    return Province(
        districts=tuple(districts),
        department_id=int(department.pk),
        provincial_id=provincial,
        analyst_id=analyst,
    )
