"""The shared cast of every test: one user of each role, and an outsider from another district.

The world: Punjab (PK6), the Lahore district (PK617) with a police centre, a human-rights
office, a community centre and an NGO; a provincial department at Punjab; and a police centre
in Faisalabad (PK608), whose supervisor is the outsider.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.geo.models import AdminUnit
from meesaq.orgs.models import Membership, Organisation, OrganisationKind

PASSWORD = "correct horse battery staple"
PUNJAB, LAHORE, FAISALABAD = "PK6", "PK617", "PK608"


@dataclass
class World:
    """Organisations and one user per persona."""

    lahore_centre: Organisation
    lahore_hr_office: Organisation
    lahore_community_centre: Organisation
    lahore_ngo: Organisation
    punjab_department: Organisation
    faisalabad_centre: Organisation
    intake_officer: User
    case_officer: User
    supervisor: User
    provincial_officer: User
    analyst: User
    partner_caseworker: User
    programme_coordinator: User
    auditor: User
    administrator: User
    outsider: User

    def personas(self) -> dict[str, User]:
        """Return every persona by name."""
        return {
            name: getattr(self, name)
            for name in (
                "intake_officer",
                "case_officer",
                "supervisor",
                "provincial_officer",
                "analyst",
                "partner_caseworker",
                "programme_coordinator",
                "auditor",
                "administrator",
                "outsider",
            )
        }


def make_organisation(code: str, kind: str, pcode: str) -> Organisation:
    """Create an organisation at a place."""
    return Organisation.objects.create(
        code=code,
        name_en=code.replace("-", " ").title(),
        kind=kind,
        jurisdiction=AdminUnit.objects.get(pcode=pcode),
    )


def make_user(username: str, organisation: Organisation | None, role: Role | None) -> User:
    """Create a user (with a TOTP device) holding one role in one organisation."""
    user = User.objects.create_user(username=username, password=PASSWORD, email="")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    if organisation is not None and role is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def build_world() -> World:
    """Create the organisations and personas."""
    centre = make_organisation("lhr-police-centre", OrganisationKind.POLICE_CENTRE, LAHORE)
    hr_office = make_organisation("lhr-hr-office", OrganisationKind.HUMAN_RIGHTS_OFFICE, LAHORE)
    community = make_organisation("lhr-community-centre", OrganisationKind.COMMUNITY_CENTRE, LAHORE)
    ngo = make_organisation("lhr-legal-aid-ngo", OrganisationKind.CIVIL_SOCIETY, LAHORE)
    department = make_organisation(
        "punjab-hr-ma-department", OrganisationKind.MINORITIES_AFFAIRS_OFFICE, PUNJAB
    )
    faisalabad = make_organisation("fsd-police-centre", OrganisationKind.POLICE_CENTRE, FAISALABAD)
    return World(
        lahore_centre=centre,
        lahore_hr_office=hr_office,
        lahore_community_centre=community,
        lahore_ngo=ngo,
        punjab_department=department,
        faisalabad_centre=faisalabad,
        intake_officer=make_user("intake", centre, Role.INTAKE_OFFICER),
        case_officer=make_user("caseofficer", centre, Role.CASE_OFFICER),
        supervisor=make_user("supervisor", centre, Role.SUPERVISOR),
        provincial_officer=make_user("provincial", department, Role.PROVINCIAL_OFFICER),
        analyst=make_user("analyst", department, Role.ANALYST),
        partner_caseworker=make_user("partner", ngo, Role.PARTNER_CASEWORKER),
        programme_coordinator=make_user("coordinator", community, Role.PROGRAMME_COORDINATOR),
        auditor=make_user("auditor", department, Role.AUDITOR),
        administrator=make_user("admin", department, Role.ADMINISTRATOR),
        outsider=make_user("outsider", faisalabad, Role.SUPERVISOR),
    )


def sign_in(client: Client, user: User) -> Client:
    """Sign the user in with their second factor already given, as after a real TOTP sign-in."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client
