"""The demo province: organisations of every kind in seven districts of Punjab and Sindh, and a
demo user of every role.

Everything is keyed by organisation code and username, so creating it again changes nothing.
Demo users carry ``is_demo=True``, which exempts them from two-factor sign-in; the demo is
refused in production mode, so such accounts never exist there.
"""

from __future__ import annotations

import secrets
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.audit.services import audit_record
from meesaq.core.errors import MeesaqError
from meesaq.demo.people import PeopleGenerator
from meesaq.geo.loader import load_places
from meesaq.geo.models import AdminUnit
from meesaq.orgs.models import Membership, Organisation, OrganisationKind

PASSWORD_FILE_NAME = "demo-password.txt"  # noqa: S105  # a file name, not a password
# The people of later demo steps are drawn from this seed; staff names from one per username.
PEOPLE_SEED = 20_260_101
EMAIL_DOMAIN = "meesaq-demo.invalid"


@dataclass(frozen=True)
class Place:
    """A province or district of the demo, with the Urdu name the bundled data lacks."""

    pcode: str
    short: str
    name_en: str
    name_ur: str
    province: str = ""


PUNJAB = Place("PK6", "punjab", "Punjab", "پنجاب")
SINDH = Place("PK7", "sindh", "Sindh", "سندھ")
PROVINCES = (PUNJAB, SINDH)
DISTRICTS = (
    Place("PK617", "lhr", "Lahore", "لاہور", PUNJAB.pcode),
    Place("PK608", "fsd", "Faisalabad", "فیصل آباد", PUNJAB.pcode),
    Place("PK630", "rwp", "Rawalpindi", "راولپنڈی", PUNJAB.pcode),
    Place("PK603", "bwp", "Bahawalpur", "بہاولپور", PUNJAB.pcode),
    Place("PK706", "hyd", "Hyderabad", "حیدرآباد", SINDH.pcode),
    Place("PK726", "thr", "Tharparkar", "تھرپارکر", SINDH.pcode),
    Place("PK728", "umk", "Umerkot", "عمرکوٹ", SINDH.pcode),
)

# Invented civil-society organisations, one per district; "(demo)" keeps them from being
# mistaken for a real organisation of a similar name.
NGO_NAMES = {
    "lhr": ("Roshan Raah Legal Aid Circle (demo)", "روشن راہ قانونی امداد حلقہ (ڈیمو)"),
    "fsd": ("Hamqadam Citizens' Forum (demo)", "ہم قدم شہری فورم (ڈیمو)"),
    "rwp": ("Pul Neighbourhood Rights Network (demo)", "پل محلہ حقوق نیٹ ورک (ڈیمو)"),
    "bwp": ("Ujala Dignity Trust (demo)", "اجالا وقار ٹرسٹ (ڈیمو)"),
    "hyd": ("Sangat Legal Aid Circle (demo)", "سنگت قانونی امداد حلقہ (ڈیمو)"),
    "thr": ("Thar Neighbours Collective (demo)", "تھر ہمسایہ اجتماع (ڈیمو)"),
    "umk": ("Saath Saath Rights Forum (demo)", "ساتھ ساتھ حقوق فورم (ڈیمو)"),
}
AGENCY_EN = "International Partner Agency (demo)"
AGENCY_UR = "بین الاقوامی شراکت دار ادارہ (ڈیمو)"


@dataclass(frozen=True)
class OrganisationSpec:
    """One demo organisation, created if its code is missing."""

    code: str
    kind: str
    pcode: str
    name_en: str
    name_ur: str
    parent_code: str | None = None


@dataclass(frozen=True)
class AccountSpec:
    """One demo user holding one role in one demo organisation."""

    username: str
    role: Role
    organisation_code: str


def _provincial_organisations() -> list[OrganisationSpec]:
    specs = [
        OrganisationSpec(
            "demo-punjab-hrma",
            OrganisationKind.MINORITIES_AFFAIRS_OFFICE,
            PUNJAB.pcode,
            "Punjab Human Rights & Minorities Affairs Department",
            "محکمہ انسانی حقوق و اقلیتی امور پنجاب",
        ),
        OrganisationSpec(
            "demo-sindh-hr",
            OrganisationKind.HUMAN_RIGHTS_OFFICE,
            SINDH.pcode,
            "Sindh Human Rights Department",
            "محکمہ انسانی حقوق سندھ",
        ),
        OrganisationSpec(
            "demo-sindh-ma",
            OrganisationKind.MINORITIES_AFFAIRS_OFFICE,
            SINDH.pcode,
            "Sindh Minorities Affairs Department",
            "محکمہ اقلیتی امور سندھ",
        ),
    ]
    specs.extend(
        OrganisationSpec(
            f"demo-{province.short}-ipa",
            OrganisationKind.INTERNATIONAL_AGENCY,
            province.pcode,
            f"{AGENCY_EN}, {province.name_en} office",
            f"{AGENCY_UR}، {province.name_ur} دفتر",
        )
        for province in PROVINCES
    )
    return specs


def _district_organisations(district: Place) -> list[OrganisationSpec]:
    en, ur, short = district.name_en, district.name_ur, district.short
    punjab = district.province == PUNJAB.pcode
    hr_parent = "demo-punjab-hrma" if punjab else "demo-sindh-hr"
    ma_parent = "demo-punjab-hrma" if punjab else "demo-sindh-ma"
    agency_parent = "demo-punjab-ipa" if punjab else "demo-sindh-ipa"
    ngo_en, ngo_ur = NGO_NAMES[short]
    kind = OrganisationKind
    return [
        OrganisationSpec(
            f"demo-{short}-police-centre",
            kind.POLICE_CENTRE,
            district.pcode,
            f"Meesaq Centre {en}",
            f"میثاق سینٹر {ur}",
        ),
        OrganisationSpec(
            f"demo-{short}-community-centre",
            kind.COMMUNITY_CENTRE,
            district.pcode,
            f"Minority Community Centre {en}",
            f"اقلیتی کمیونٹی سینٹر {ur}",
        ),
        OrganisationSpec(
            f"demo-{short}-hr-office",
            kind.HUMAN_RIGHTS_OFFICE,
            district.pcode,
            f"Human Rights Department, District Office {en}",
            f"محکمہ انسانی حقوق، ضلعی دفتر {ur}",
            hr_parent,
        ),
        OrganisationSpec(
            f"demo-{short}-ma-office",
            kind.MINORITIES_AFFAIRS_OFFICE,
            district.pcode,
            f"Minorities Affairs Department, District Office {en}",
            f"محکمہ اقلیتی امور، ضلعی دفتر {ur}",
            ma_parent,
        ),
        OrganisationSpec(
            f"demo-{short}-line-dept",
            kind.LINE_DEPARTMENT,
            district.pcode,
            f"Social Welfare Department, District Office {en}",
            f"محکمہ سماجی بہبود، ضلعی دفتر {ur}",
        ),
        OrganisationSpec(f"demo-{short}-ngo", kind.CIVIL_SOCIETY, district.pcode, ngo_en, ngo_ur),
        OrganisationSpec(
            f"demo-{short}-ipa",
            kind.INTERNATIONAL_AGENCY,
            district.pcode,
            f"{AGENCY_EN}, {en} field office",
            f"{AGENCY_UR}، {ur} فیلڈ دفتر",
            agency_parent,
        ),
    ]


# Provincial organisations come first: district offices name them as parents.
ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    *_provincial_organisations(),
    *(spec for district in DISTRICTS for spec in _district_organisations(district)),
)

ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec("admin", Role.ADMINISTRATOR, "demo-punjab-hrma"),
    AccountSpec("intake.lahore", Role.INTAKE_OFFICER, "demo-lhr-police-centre"),
    AccountSpec("caseofficer.lahore", Role.CASE_OFFICER, "demo-lhr-police-centre"),
    AccountSpec("supervisor.lahore", Role.SUPERVISOR, "demo-lhr-police-centre"),
    AccountSpec("hrofficer.lahore", Role.CASE_OFFICER, "demo-lhr-hr-office"),
    AccountSpec("provincial.punjab", Role.PROVINCIAL_OFFICER, "demo-punjab-hrma"),
    AccountSpec("analyst.punjab", Role.ANALYST, "demo-punjab-hrma"),
    AccountSpec("partner.lahore", Role.PARTNER_CASEWORKER, "demo-lhr-ngo"),
    AccountSpec("coordinator.lahore", Role.PROGRAMME_COORDINATOR, "demo-lhr-community-centre"),
    AccountSpec("auditor.punjab", Role.AUDITOR, "demo-punjab-hrma"),
    AccountSpec("intake.hyderabad", Role.INTAKE_OFFICER, "demo-hyd-police-centre"),
    AccountSpec("caseofficer.hyderabad", Role.CASE_OFFICER, "demo-hyd-police-centre"),
    AccountSpec("supervisor.hyderabad", Role.SUPERVISOR, "demo-hyd-police-centre"),
    AccountSpec("provincial.sindh", Role.PROVINCIAL_OFFICER, "demo-sindh-ma"),
    AccountSpec("partner.tharparkar", Role.PARTNER_CASEWORKER, "demo-thr-ngo"),
    AccountSpec("coordinator.umerkot", Role.PROGRAMME_COORDINATOR, "demo-umk-community-centre"),
)


@dataclass(frozen=True)
class DemoAccount:
    """One demo login as the command prints it and ``--accounts-json`` writes it."""

    username: str
    role: str
    role_label: str
    organisation: str
    organisation_name: str
    district_pcode: str
    place_name: str


@dataclass
class ProvinceResult:
    """What one run created or changed, and the demo logins."""

    accounts: list[DemoAccount]
    organisations: dict[str, Organisation]
    users: dict[str, User]
    organisations_created: int = 0
    users_created: int = 0
    memberships_created: int = 0
    passwords_reset: int = 0
    # Usernames taken by real (non-demo) accounts, which the demo leaves alone.
    skipped_usernames: list[str] = field(default_factory=list)

    @property
    def created_anything(self) -> bool:
        """Say whether this run created any row."""
        return bool(self.organisations_created or self.users_created or self.memberships_created)


def demo_refuse_in_production() -> None:
    """Refuse when the site runs in production mode, where demo accounts must never exist."""
    if settings.PRODUCTION:
        raise MeesaqError(
            _(
                "The demo cannot be created in production mode: demo accounts skip two-factor "
                "sign-in. Use a development installation (MEESAQ_MODE=development)."
            ),
            code="demo_in_production",
        )


def demo_password() -> tuple[str, str]:
    """Return the demo password and where it comes from.

    MEESAQ_DEMO_PASSWORD when set; otherwise a random password made once and kept in
    ``VAR_DIR/demo-password.txt``, so that every run prints the same login.
    """
    configured: str = settings.MEESAQ_DEMO_PASSWORD
    if configured:
        return configured, "MEESAQ_DEMO_PASSWORD"
    path = Path(settings.VAR_DIR) / PASSWORD_FILE_NAME
    if path.exists():
        kept = path.read_text(encoding="utf-8").strip()
        if kept:
            return kept, str(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    # Readable by the owner only, from the moment the file exists.
    path.touch(mode=0o600)
    path.write_text(f"{password}\n", encoding="utf-8")
    return password, str(path)


def places_ensure_loaded() -> None:
    """Load the administrative units when the table is empty, and check the demo's are there."""
    if not AdminUnit.objects.exists():
        load_places()
    needed = {place.pcode for place in (*PROVINCES, *DISTRICTS)}
    found = set(AdminUnit.objects.filter(pcode__in=needed).values_list("pcode", flat=True))
    if needed - found:
        raise MeesaqError(
            _("The places the demo needs are missing: %(codes)s. Run `meesaq load-places`.")
            % {"codes": ", ".join(sorted(needed - found))},
            code="demo_places_missing",
        )
    # The reference data has Urdu names for provinces only; give the demo's districts theirs.
    for place in DISTRICTS:
        AdminUnit.objects.filter(pcode=place.pcode, name_ur="").update(name_ur=place.name_ur)


def staff_person_seed(username: str) -> int:
    """Return the fixed seed of a demo user's invented name, stable across runs and versions."""
    return zlib.crc32(f"meesaq-demo-staff:{username}".encode())


def _organisation_ensure(spec: OrganisationSpec, result: ProvinceResult) -> Organisation:
    existing = Organisation.objects.select_related("jurisdiction").filter(code=spec.code).first()
    if existing is not None:
        return existing
    organisation = Organisation(
        code=spec.code,
        kind=spec.kind,
        name_en=spec.name_en,
        name_ur=spec.name_ur,
        jurisdiction=AdminUnit.objects.get(pcode=spec.pcode),
        parent=result.organisations[spec.parent_code] if spec.parent_code else None,
    )
    organisation.full_clean()
    organisation.save()
    result.organisations_created += 1
    return organisation


def _user_ensure(spec: AccountSpec, password: str, result: ProvinceResult) -> User | None:
    user = User.objects.filter(username=spec.username).first()
    if user is not None and not user.is_demo:
        result.skipped_usernames.append(spec.username)
        return None
    if user is None:
        person = PeopleGenerator(staff_person_seed(spec.username)).person(
            gender="female" if staff_person_seed(spec.username) % 2 else "male"
        )
        user = User(
            username=spec.username,
            first_name=person.given_name_en,
            last_name=person.family_name_en,
            email=f"{spec.username}@{EMAIL_DOMAIN}",
            is_demo=True,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        result.users_created += 1
    elif not user.check_password(password):
        # MEESAQ_DEMO_PASSWORD changed since the last run: the printed password must work.
        user.set_password(password)
        user.save(update_fields=["password"])
        result.passwords_reset += 1
    return user


def _membership_ensure(
    user: User, organisation: Organisation, role: Role, result: ProvinceResult
) -> None:
    if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        return
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    result.memberships_created += 1


def province_create(*, password: str) -> ProvinceResult:
    """Create whatever of the demo province is missing; existing rows are left as they are.

    Demo users whose password differs from ``password`` get it set, so the printed login works.
    """
    demo_refuse_in_production()
    places_ensure_loaded()
    result = ProvinceResult(accounts=[], organisations={}, users={})
    with transaction.atomic():
        for spec in ORGANISATIONS:
            result.organisations[spec.code] = _organisation_ensure(spec, result)
        for account in ACCOUNTS:
            organisation = result.organisations[account.organisation_code]
            user = _user_ensure(account, password, result)
            if user is None:
                continue
            _membership_ensure(user, organisation, account.role, result)
            result.users[account.username] = user
            result.accounts.append(
                DemoAccount(
                    username=account.username,
                    role=account.role.value,
                    role_label=str(account.role.label),
                    organisation=organisation.code,
                    organisation_name=organisation.name_en,
                    district_pcode=organisation.jurisdiction.pcode,
                    place_name=organisation.jurisdiction.name_en,
                )
            )
        if result.created_anything:
            audit_record(
                actor=None,
                action="demo.created",
                detail={
                    "organisations": result.organisations_created,
                    "users": result.users_created,
                    "memberships": result.memberships_created,
                },
            )
        if result.passwords_reset:
            audit_record(
                actor=None,
                action="demo.passwords_reset",
                detail={"users": result.passwords_reset},
            )
    return result
