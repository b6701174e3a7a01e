"""THE place that decides who may see and do what.

Three questions, asked by every page, API endpoint, export and dashboard:

- ``may(user, action, obj)``: may this user do this action (on this object)?
- ``scoped(user, Model)``: which rows of this kind may this user see at all?
- ``may_see_identity(user, obj)``: may this user see the identity fields of this row?

Domain modules plug in by registering an action rule (``register_action``), a scope for each
sensitive model (``register_scope``), and, for rows that carry identity, who owns them
(``register_identity_model``). A model with no registered scope is invisible to everyone:
access is denied by default.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from meesaq.access.roles import IDENTITY_ROLES, JURISDICTION_WIDE_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from meesaq.accounts.models import User

    AnyUser = User | AnonymousUser
else:
    AnyUser = Any

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Grant:
    """One active membership: a role held in an organisation that sits at a jurisdiction."""

    organisation_id: int
    role: Role
    jurisdiction_path: str

    def reaches(self, *, organisation_id: int | None, jurisdiction_path: str) -> bool:
        """Say whether this grant covers a row owned by that organisation at that place."""
        if organisation_id is not None and organisation_id == self.organisation_id:
            return True
        if self.role in JURISDICTION_WIDE_ROLES:
            return is_within(jurisdiction_path, self.jurisdiction_path)
        return False


def is_within(path: str, ancestor_path: str) -> bool:
    """Say whether the unit at ``path`` is the unit at ``ancestor_path`` or lies inside it."""
    return bool(ancestor_path) and (path == ancestor_path or path.startswith(ancestor_path + "/"))


def acting_user(request: HttpRequest) -> User:
    """Return the signed-in user of a request that a ``page`` rule has already let through."""
    from meesaq.accounts.models import User

    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    return user


def grants_for(user: AnyUser) -> tuple[Grant, ...]:
    """Return the user's active grants (cached on the user object for the request)."""
    if not user.is_authenticated or not user.is_active:
        return ()
    cached: tuple[Grant, ...] | None = getattr(user, "_meesaq_grants", None)
    if cached is None:
        from meesaq.orgs.models import Membership

        rows = Membership.objects.filter(
            user=user, is_active=True, organisation__is_active=True
        ).values_list("organisation_id", "role", "organisation__jurisdiction__path")
        cached = tuple(
            Grant(organisation_id=org_id, role=Role(role), jurisdiction_path=path)
            for org_id, role, path in rows
        )
        setattr(user, "_meesaq_grants", cached)  # noqa: B010  # a per-request cache, not a field
    return cached


def jurisdiction_paths(user: AnyUser) -> list[str] | None:
    """Return the places the user's grants sit at, or None if one covers everywhere.

    For narrowing choices (a place filter), not for deciding access: a partner also sees cases
    referred to it from elsewhere.
    """
    paths = [grant.jurisdiction_path for grant in grants_for(user)]
    if not all(paths):
        return None
    return sorted(set(paths))


def forget_grants(user: AnyUser) -> None:
    """Drop the cached grants after memberships change."""
    if hasattr(user, "_meesaq_grants"):
        del user._meesaq_grants


def roles_of(user: AnyUser) -> frozenset[Role]:
    """Return every role the user holds anywhere."""
    return frozenset(grant.role for grant in grants_for(user))


def has_role(user: AnyUser, *roles: Role) -> bool:
    """Say whether the user holds any of these roles anywhere."""
    return bool(roles_of(user) & set(roles))


def grants_with(user: AnyUser, roles: Iterable[Role]) -> list[Grant]:
    """Return the user's grants for any of these roles."""
    wanted = set(roles)
    return [grant for grant in grants_for(user) if grant.role in wanted]


# --- Actions ----------------------------------------------------------------------------------

ActionRule = Callable[[AnyUser, Any], bool]
_ACTIONS: dict[str, ActionRule] = {}

PUBLIC = "public"
SIGNED_IN = "signed_in"


def register_action(name: str, rule: ActionRule) -> None:
    """Declare who may do ``name``; a rule gets the user and the object (or None)."""
    if name in _ACTIONS and _ACTIONS[name] is not rule:
        raise ValueError(f"access action {name!r} is already registered")
    _ACTIONS[name] = rule


def registered_actions() -> frozenset[str]:
    """Return every action name with a rule."""
    return frozenset(_ACTIONS)


def may(user: AnyUser, action: str, obj: object = None) -> bool:
    """Say whether the user may do the action (on the object); unknown actions are refused."""
    if action == PUBLIC:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if action == SIGNED_IN:
        return True
    rule = _ACTIONS.get(action)
    if rule is None:
        return False
    return bool(rule(user, obj))


def require(user: AnyUser, action: str, obj: object = None) -> None:
    """Raise 404 (never 403, which would confirm the object exists) unless the user may act."""
    if not may(user, action, obj):
        raise Http404


def role_rule(*roles: Role) -> ActionRule:
    """Return a rule that allows holders of any of these roles, whatever the object."""

    def rule(user: AnyUser, obj: object) -> bool:
        return has_role(user, *roles)

    return rule


# --- Scopes -----------------------------------------------------------------------------------

ScopeRule = Callable[[AnyUser, "QuerySet[Any]"], "QuerySet[Any]"]
_SCOPES: dict[type[models.Model], ScopeRule] = {}


def register_scope(model: type[models.Model], rule: ScopeRule) -> None:
    """Declare which rows of ``model`` a user may see, as a filter on a queryset."""
    _SCOPES[model] = rule


def scoped(user: AnyUser, model: type[M]) -> QuerySet[M]:
    """Return the rows of ``model`` this user may see; nothing for models without a scope."""
    queryset: QuerySet[M] = model._default_manager.all()
    rule = _SCOPES.get(model)
    if rule is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    result: QuerySet[M] = rule(user, queryset)
    return result


def get_scoped(user: AnyUser, model: type[M], **lookup: object) -> M:
    """Return one row the user may see, or raise 404 whether it is missing or forbidden."""
    try:
        return scoped(user, model).get(**lookup)
    except (model.DoesNotExist, ValueError) as error:  # type: ignore[attr-defined]  # every model has DoesNotExist
        raise Http404 from error


def reach_q(
    user: AnyUser,
    *,
    roles: Iterable[Role],
    organisation_field: str,
    jurisdiction_path_field: str,
) -> Q:
    """Build the filter for rows owned by an organisation and placed at a jurisdiction.

    Holders of the roles see their own organisation's rows; supervisors and provincial
    officers also see every row placed within their organisation's jurisdiction subtree.
    """
    condition = Q(pk__in=[])
    for grant in grants_with(user, roles):
        condition |= Q(**{organisation_field: grant.organisation_id})
        if grant.role in JURISDICTION_WIDE_ROLES:
            condition |= Q(**{jurisdiction_path_field: grant.jurisdiction_path})
            condition |= Q(
                **{f"{jurisdiction_path_field}__startswith": grant.jurisdiction_path + "/"}
            )
    return condition


# --- Identity fields --------------------------------------------------------------------------


@dataclass(frozen=True)
class IdentityOwner:
    """Where an identity-bearing row belongs: the owning organisation and the place."""

    organisation_id: int | None
    jurisdiction_path: str


OwnerRule = Callable[[Any], IdentityOwner]
IdentityRule = Callable[[AnyUser, Any], bool]


@dataclass(frozen=True)
class IdentityModel:
    """How a model's identity is protected: its owner, its identity fields, who needs to know."""

    owner: OwnerRule
    fields: tuple[str, ...]
    need_to_know: IdentityRule | None


_IDENTITY_MODELS: dict[type[models.Model], IdentityModel] = {}
BREAK_GLASS_MINUTES = 30


def register_identity_model(
    model: type[models.Model],
    *,
    owner: OwnerRule,
    identity_fields: Iterable[str],
    need_to_know: IdentityRule | None = None,
) -> None:
    """Declare a model whose ``identity_fields`` are shown only to roles with need to know.

    By default an identity role whose grant reaches the row's owner or place needs to know;
    a module with a narrower rule (e.g. only the assigned officer) passes ``need_to_know``.
    """
    _IDENTITY_MODELS[model] = IdentityModel(
        owner=owner, fields=tuple(identity_fields), need_to_know=need_to_know
    )


def identity_fields(model: type[models.Model]) -> tuple[str, ...]:
    """Return the identity fields of a registered model (none for other models)."""
    entry = _IDENTITY_MODELS.get(model)
    return entry.fields if entry else ()


def identity_owner(obj: models.Model) -> IdentityOwner:
    """Return where a registered identity-bearing row belongs."""
    entry = _IDENTITY_MODELS.get(type(obj))
    if entry is None:
        raise LookupError(f"{type(obj).__name__} is not a registered identity model")
    return entry.owner(obj)


def _identity_grant(user: AnyUser, obj: models.Model) -> bool:
    entry = _IDENTITY_MODELS[type(obj)]
    if entry.need_to_know is not None:
        return bool(entry.need_to_know(user, obj))
    owner = entry.owner(obj)
    return any(
        grant.reaches(
            organisation_id=owner.organisation_id, jurisdiction_path=owner.jurisdiction_path
        )
        for grant in grants_with(user, IDENTITY_ROLES)
    )


def _open_break_glass(user: AnyUser, obj: models.Model) -> bool:
    from meesaq.access.models import BreakGlassView

    since = timezone.now() - timedelta(minutes=BREAK_GLASS_MINUTES)
    return BreakGlassView.objects.filter(
        user__pk=int(user.pk or 0),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        created_at__gte=since,
    ).exists()


def may_see_identity(user: AnyUser, obj: models.Model) -> bool:
    """Say whether the user may see this row's identity fields now.

    Yes for a role with need to know whose reach covers the row, or for a recent break-glass
    view of this very row. The caller audits every view it then shows (``identity_viewed``).
    """
    if not user.is_authenticated or not user.is_active or type(obj) not in _IDENTITY_MODELS:
        return False
    if not scoped(user, type(obj)).filter(pk=obj.pk).exists():
        return False
    return _identity_grant(user, obj) or _open_break_glass(user, obj)


def may_break_glass(user: AnyUser, obj: models.Model) -> bool:
    """Say whether the user may ask for a justified view of identity they cannot normally see.

    Only staff who handle protected people (identity roles) and who can already see the row
    pseudonymously; analysts, auditors and administrators never see identities.
    """
    if type(obj) not in _IDENTITY_MODELS or not grants_with(user, IDENTITY_ROLES):
        return False
    if not scoped(user, type(obj)).filter(pk=obj.pk).exists():
        return False
    return not _identity_grant(user, obj)


def visible_identity(user: AnyUser, obj: models.Model) -> dict[str, object]:
    """Return the identity fields the user may see (empty when hidden), without auditing."""
    if not may_see_identity(user, obj):
        return {}
    return {name: getattr(obj, name) for name in identity_fields(type(obj))}
