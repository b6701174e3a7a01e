"""The people part of a case: the section on the case page, add (offering known people), link,
correct and remove. Identity never travels in an address: every form here is a POST."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.access.services import identities_viewed
from meesaq.accounts.models import User
from meesaq.cases.forms_people import PersonAddForm, PersonFieldsForm, PersonLinkForm
from meesaq.cases.models import Case, Person, PersonRole
from meesaq.cases.selectors.people import (
    PersonMatch,
    PersonOnCase,
    format_cnic,
    people_matching,
    people_on_case,
    person_on_case_for_user,
)
from meesaq.cases.services.people import (
    person_add_to_case,
    person_link_existing,
    person_remove_from_case,
    person_update,
)
from meesaq.core.errors import MeesaqError

# Field ids of this part's forms, distinct from the other forms on the case page.
AUTO_ID = "person_%s"
PERSON_FIELDS = (
    "full_name",
    "relative_name",
    "cnic",
    "phone",
    "address",
    "gender",
    "age_band",
    "faith",
    "disability",
)


@dataclass(frozen=True)
class PersonCard:
    """One person on the case page, with the addresses of what the user may do."""

    entry: PersonOnCase
    break_glass_url: str
    edit_url: str
    remove_url: str


@dataclass(frozen=True)
class MatchCard:
    """One known person offered for linking."""

    entry: PersonMatch
    break_glass_url: str
    on_this_case: bool


def _break_glass_url(person: Person, case: Case) -> str:
    url = reverse(
        "access:break_glass_request",
        kwargs={"object_type": person._meta.label_lower, "object_id": person.pk},
    )
    return f"{url}?{urlencode({'next': case.get_absolute_url()})}"


def _person_url(name: str, case: Case, person_id: int) -> str:
    return reverse(name, kwargs={"reference": case.reference, "person_id": person_id})


def _show_errors(form: PersonFieldsForm, error: MeesaqError) -> None:
    for name, field_messages in error.fields.items():
        for message in field_messages:
            form.add_error(name if name in form.fields else None, str(message))
    if not error.fields:
        form.add_error(None, str(error.message))


def _audit_shown(user: User, request: HttpRequest, people: list[Person]) -> None:
    """Audit each identity shown on this page once, in one append."""
    identities_viewed(
        user=user, objs=list({person.pk: person for person in people}.values()), request=request
    )


def people_section(*, request: HttpRequest, user: User, case: Case) -> dict[str, object]:
    """Return the context of the people section of the case page, with the identities shown."""
    entries = people_on_case(user=user, case=case)
    cards = [
        PersonCard(
            entry=entry,
            break_glass_url=_break_glass_url(entry.person, case) if entry.may_break_glass else "",
            edit_url=_person_url("cases:person_edit", case, entry.person_id)
            if entry.may_edit
            else "",
            remove_url=_person_url("cases:person_remove", case, entry.person_id)
            if entry.may_remove
            else "",
        )
        for entry in entries
    ]
    may_add = policy.may(user, "cases.add_note", case)
    return {
        "people": cards,
        # The page audits these with the rest of what it shows (case_detail).
        "identities_shown": list(
            {entry.person.pk: entry.person for entry in entries if entry.identity}.values()
        ),
        # The form has its own page: most views of a case add nobody, and its fields are the
        # heaviest part of the page to render.
        "may_add": may_add,
        "add_url": reverse("cases:person_add", kwargs={"reference": case.reference}),
    }


def _visible_case(request: HttpRequest, reference: str) -> tuple[User, Case]:
    """Return the user and the case they may see (404 first: a 405 must not confirm a case)."""
    user = policy.acting_user(request)
    return user, policy.get_scoped(user, Case, reference=reference)


@page("cases.list")
def person_add(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Add a person to the case: the form (GET); known people who match, or the person (POST)."""
    user, case = _visible_case(request, reference)
    policy.require(user, "cases.add_note", case)
    if request.method != "POST":
        form = PersonAddForm(auto_id=AUTO_ID)
        return render(request, "cases/person_add.html", {"case": case, "form": form})
    form = PersonAddForm(request.POST, auto_id=AUTO_ID)
    if form.is_valid():
        data = form.cleaned_data
        if not data["add_as_new"]:
            matches = people_matching(
                user=user, cnic=data["cnic"], phone=data["phone"], full_name=data["full_name"]
            )
            if matches:
                return _render_matches(request, user, case, form, matches)
        try:
            person_add_to_case(
                actor=user,
                case=case,
                role=data["role"],
                full_name=data["full_name"],
                relative_name=data["relative_name"],
                cnic=data["cnic"],
                phone=data["phone"],
                address=data["address"],
                gender=data["gender"],
                age_band=data["age_band"],
                faith=data["faith"],
                disability=data["disability"],
                request=request,
            )
        except MeesaqError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("The person was added to the case."))
            return redirect(case.get_absolute_url())
    return render(request, "cases/person_add.html", {"case": case, "form": form})


def _render_matches(
    request: HttpRequest,
    user: User,
    case: Case,
    form: PersonAddForm,
    matches: list[PersonMatch],
) -> HttpResponse:
    cards = [
        MatchCard(
            entry=match,
            break_glass_url=_break_glass_url(match.person, case) if match.may_break_glass else "",
            on_this_case=case.reference in match.case_references,
        )
        for match in matches
    ]
    _audit_shown(user, request, [match.person for match in matches if match.identity])
    return render(
        request,
        "cases/person_matches.html",
        {
            "case": case,
            "form": form,
            "role": form.cleaned_data["role"],
            "role_label": PersonRole(form.cleaned_data["role"]).label,
            "matches": cards,
        },
    )


@page("cases.list")
def person_link(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Link a known person (from the offered matches) to the case."""
    user, case = _visible_case(request, reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    policy.require(user, "cases.add_note", case)
    form = PersonLinkForm(request.POST)
    if not form.is_valid():
        if "person_id" in form.errors:
            raise Http404
        messages.error(request, _("Choose the person's role in the case."))
        return redirect(case.get_absolute_url())
    person = policy.get_scoped(user, Person, pk=form.cleaned_data["person_id"])
    try:
        person_link_existing(
            actor=user, case=case, person=person, role=form.cleaned_data["role"], request=request
        )
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The known person was linked to the case."))
    return redirect(case.get_absolute_url())


def _person_on_case(user: User, case: Case, person_id: int) -> Person:
    person = person_on_case_for_user(user=user, case=case, person_id=person_id)
    if person is None:
        raise Http404
    return person


@page("cases.list")
def person_edit(request: HttpRequest, reference: str, person_id: int) -> HttpResponseBase:
    """Correct a person's identity and demographics (for those who see and act on it)."""
    user, case = _visible_case(request, reference)
    person = _person_on_case(user, case, person_id)
    if not (policy.may(user, "cases.act", case) and policy.may_see_identity(user, person)):
        raise Http404
    if request.method == "POST":
        form = PersonFieldsForm(request.POST, auto_id=AUTO_ID)
        if form.is_valid():
            try:
                person_update(actor=user, person=person, request=request, **form.cleaned_data)
            except MeesaqError as error:
                _show_errors(form, error)
            else:
                messages.success(request, _("The person's details were saved."))
                return redirect(case.get_absolute_url())
    else:
        initial = {name: getattr(person, name) for name in PERSON_FIELDS}
        initial["cnic"] = format_cnic(person.cnic)
        form = PersonFieldsForm(initial=initial, auto_id=AUTO_ID)
    _audit_shown(user, request, [person])
    return render(
        request,
        "cases/person_edit.html",
        {"case": case, "form": form, "person_id": person.pk, "pseudonym": f"P-{person.pk}"},
    )


@page("cases.list")
def person_remove(request: HttpRequest, reference: str, person_id: int) -> HttpResponseBase:
    """Take a person off the case; their record stays for the other cases they are on."""
    user, case = _visible_case(request, reference)
    person = _person_on_case(user, case, person_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    policy.require(user, "cases.act", case)
    try:
        person_remove_from_case(actor=user, case=case, person=person, request=request)
    except MeesaqError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The person was taken off the case. Their record is kept."))
    return redirect(case.get_absolute_url())
