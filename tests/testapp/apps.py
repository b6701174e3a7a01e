from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet


class TestappConfig(AppConfig):
    name = "tests.testapp"
    label = "testapp"

    def ready(self) -> None:
        """Plug the stand-in model into access exactly as a real domain module will."""
        from meesaq.access import policy
        from meesaq.access.roles import CASE_ROLES, IDENTITY_ROLES, Role
        from tests.testapp.models import ProtectedRecord

        def scope(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
            return queryset.filter(
                policy.reach_q(
                    user,
                    roles=CASE_ROLES | IDENTITY_ROLES,
                    organisation_field="organisation",
                    jurisdiction_path_field="jurisdiction__path",
                )
            )

        def need_to_know(user: Any, record: ProtectedRecord) -> bool:
            # Like a real module with a narrow rule: the owning organisation's staff and the
            # district supervisors need to know; provincial officers must break the glass.
            return any(
                grant.organisation_id == record.organisation_id
                or (
                    grant.role == Role.SUPERVISOR
                    and policy.is_within(record.jurisdiction.path, grant.jurisdiction_path)
                )
                for grant in policy.grants_with(user, IDENTITY_ROLES)
            )

        policy.register_scope(ProtectedRecord, scope)
        policy.register_identity_model(
            ProtectedRecord,
            owner=lambda record: policy.IdentityOwner(
                organisation_id=record.organisation_id,
                jurisdiction_path=record.jurisdiction.path,
            ),
            identity_fields=["full_name"],
            need_to_know=need_to_know,
        )
