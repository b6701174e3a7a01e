"""The access module's answers: grants, scopes, identity rules, deny by default."""

from __future__ import annotations

import pytest
from django.http import Http404

from meesaq.access import policy
from meesaq.access.models import BreakGlassView
from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.orgs.models import Membership, Organisation
from tests.personas import World
from tests.testapp.models import ProtectedRecord


def _record(organisation: Organisation) -> ProtectedRecord:
    return ProtectedRecord.objects.create(
        organisation=organisation,
        jurisdiction=organisation.jurisdiction,
        title="sample",
        full_name="Shamim Masih",
    )


def test_is_within_does_not_confuse_sibling_prefixes() -> None:
    assert policy.is_within("PK6/PK6DV05/PK617", "PK6")
    assert policy.is_within("PK6", "PK6")
    assert not policy.is_within("PK61/PK612", "PK6")
    assert not policy.is_within("PK6/PK6DV05/PK6171", "PK6/PK6DV05/PK617")
    assert not policy.is_within("PK6", "")


def test_grants_list_each_active_membership(world: World) -> None:
    grants = policy.grants_for(world.supervisor)
    assert [(g.organisation_id, g.role) for g in grants] == [
        (world.lahore_centre.pk, Role.SUPERVISOR)
    ]
    assert grants[0].jurisdiction_path.endswith("/PK617")


def test_inactive_memberships_and_organisations_grant_nothing(world: World) -> None:
    Membership.objects.filter(user=world.analyst).update(is_active=False)
    assert policy.grants_for(User.objects.get(pk=world.analyst.pk)) == ()
    Organisation.objects.filter(pk=world.lahore_centre.pk).update(is_active=False)
    assert policy.grants_for(User.objects.get(pk=world.intake_officer.pk)) == ()


def test_unknown_actions_are_refused_even_to_administrators(world: World) -> None:
    assert not policy.may(world.administrator, "no.such.action")
    with pytest.raises(Http404):
        policy.require(world.administrator, "no.such.action")


def test_role_actions_follow_the_roles(world: World) -> None:
    assert policy.may(world.auditor, "audit.read")
    assert not policy.may(world.administrator, "audit.read")
    assert policy.may(world.administrator, "users.manage")
    assert not policy.may(world.supervisor, "users.manage")


def test_models_without_a_scope_are_invisible(world: World) -> None:
    class_without_scope = Membership
    assert not policy.scoped(world.administrator, class_without_scope).exists()


def test_scopes_follow_organisation_and_jurisdiction(world: World) -> None:
    lahore = _record(world.lahore_centre)
    faisalabad = _record(world.faisalabad_centre)

    def visible(user: User) -> set[int]:
        return set(policy.scoped(user, ProtectedRecord).values_list("pk", flat=True))

    assert visible(world.intake_officer) == {lahore.pk}
    assert visible(world.supervisor) == {lahore.pk}
    assert visible(world.provincial_officer) == {lahore.pk, faisalabad.pk}
    assert visible(world.outsider) == {faisalabad.pk}
    assert visible(world.analyst) == set()
    assert visible(world.administrator) == set()
    assert visible(world.auditor) == set()


def test_get_scoped_answers_404_for_forbidden_and_missing_rows(world: World) -> None:
    faisalabad = _record(world.faisalabad_centre)
    with pytest.raises(Http404):
        policy.get_scoped(world.intake_officer, ProtectedRecord, pk=faisalabad.pk)
    with pytest.raises(Http404):
        policy.get_scoped(world.intake_officer, ProtectedRecord, pk=999_999)
    with pytest.raises(Http404):
        policy.get_scoped(world.intake_officer, ProtectedRecord, pk="not-a-number")


def test_identity_is_shown_only_to_roles_with_need_to_know(world: World) -> None:
    record = _record(world.lahore_centre)
    assert policy.may_see_identity(world.intake_officer, record)
    assert policy.visible_identity(world.intake_officer, record) == {"full_name": "Shamim Masih"}
    assert policy.may_see_identity(world.supervisor, record)
    assert not policy.may_see_identity(world.provincial_officer, record)
    assert policy.visible_identity(world.provincial_officer, record) == {}
    for persona in ("analyst", "auditor", "administrator", "outsider", "partner_caseworker"):
        assert not policy.may_see_identity(world.personas()[persona], record), persona


def test_only_staff_who_see_the_row_without_identity_may_break_the_glass(world: World) -> None:
    record = _record(world.lahore_centre)
    assert policy.may_break_glass(world.provincial_officer, record)
    # Those who already see the identity do not need to; those outside never may.
    for persona in ("intake_officer", "supervisor", "analyst", "administrator", "outsider"):
        assert not policy.may_break_glass(world.personas()[persona], record), persona


def test_break_glass_views_are_scoped_to_the_viewer_and_supervisors_in_reach(
    world: World,
) -> None:
    view = BreakGlassView.objects.create(
        user=world.provincial_officer,
        object_type="testapp.protectedrecord",
        object_id="1",
        organisation=world.lahore_centre,
        jurisdiction_path=world.lahore_centre.jurisdiction.path,
        reason="needed to call the complainant back",
    )
    assert policy.scoped(world.supervisor, BreakGlassView).filter(pk=view.pk).exists()
    assert policy.scoped(world.provincial_officer, BreakGlassView).filter(pk=view.pk).exists()
    assert not policy.scoped(world.outsider, BreakGlassView).filter(pk=view.pk).exists()
    assert not policy.scoped(world.intake_officer, BreakGlassView).filter(pk=view.pk).exists()
    assert policy.may(world.supervisor, "access.review_break_glass", view)
    assert not policy.may(world.outsider, "access.review_break_glass", view)


def test_users_are_visible_to_administrators_supervisors_in_reach_and_themselves(
    world: World,
) -> None:
    def visible(user: User) -> set[str]:
        return set(policy.scoped(user, User).values_list("username", flat=True))

    assert visible(world.intake_officer) == {"intake"}
    assert {"intake", "caseofficer", "supervisor"} <= visible(world.supervisor)
    assert "outsider" not in visible(world.supervisor)
    assert len(visible(world.administrator)) == len(world.personas())
