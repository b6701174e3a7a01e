"""The roles of SPEC.md section 2 and the groups of roles that rules are written in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INTAKE_OFFICER = "intake_officer", _("Intake officer")
    CASE_OFFICER = "case_officer", _("Case officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    PROVINCIAL_OFFICER = "provincial_officer", _("Provincial officer")
    ANALYST = "analyst", _("Analyst")
    PARTNER_CASEWORKER = "partner_caseworker", _("Partner caseworker")
    PROGRAMME_COORDINATOR = "programme_coordinator", _("Programme coordinator")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles with a need to know identities (names, CNIC, phone, address, narrative) in their scope.
IDENTITY_ROLES = frozenset(
    {
        Role.INTAKE_OFFICER,
        Role.CASE_OFFICER,
        Role.SUPERVISOR,
        Role.PROVINCIAL_OFFICER,
        Role.PARTNER_CASEWORKER,
        Role.PROGRAMME_COORDINATOR,
    }
)
# Two-factor sign-in is required for every role that sees identities, and for administrators,
# who can grant any role.
TWO_FACTOR_ROLES = IDENTITY_ROLES | {Role.ADMINISTRATOR}
# Roles whose reach is the whole jurisdiction subtree of their organisation, not only its own rows.
JURISDICTION_WIDE_ROLES = frozenset({Role.SUPERVISOR, Role.PROVINCIAL_OFFICER})
# Roles that work on cases inside the organisation that owns them.
CASE_ROLES = frozenset(
    {Role.INTAKE_OFFICER, Role.CASE_OFFICER, Role.SUPERVISOR, Role.PROVINCIAL_OFFICER}
)
