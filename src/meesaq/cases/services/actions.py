"""Writes of the actions timeline: entries are added, never edited; a correction is a new entry."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meesaq.access import policy
from meesaq.audit.services import audit_record
from meesaq.cases.models import ActionKind, Case, CaseAction
from meesaq.core.errors import MeesaqError

if TYPE_CHECKING:
    from meesaq.accounts.models import User


def action_rule(kind: str) -> str:
    """Return the access action needed to add an entry of this kind."""
    return "cases.add_note" if kind == ActionKind.NOTE else "cases.act"


def _field_error(field: str, message: str, code: str) -> MeesaqError:
    return MeesaqError(message, code=code, fields={field: [message]})


def _check_entry(
    *,
    case: Case,
    kind: str,
    occurred_on: date,
    note: str,
    next_action_on: date | None,
    fir_number: str,
    police_station: str,
    corrects: CaseAction | None,
) -> None:
    if kind not in ActionKind.values:
        raise _field_error("kind", str(_("Choose what kind of entry this is.")), "kind_invalid")
    if occurred_on > timezone.localdate():
        raise _field_error(
            "occurred_on", str(_("The date cannot be in the future.")), "date_in_future"
        )
    if next_action_on is not None and next_action_on < occurred_on:
        raise _field_error(
            "next_action_on",
            str(_("The next action cannot come before this entry's date.")),
            "next_action_before",
        )
    if kind == ActionKind.FIR and not (fir_number and police_station):
        raise MeesaqError(
            _("An FIR entry needs the FIR number and the police station."),
            code="fir_incomplete",
            fields={
                name: [_("Required for an FIR.")]
                for name, value in (("fir_number", fir_number), ("police_station", police_station))
                if not value
            },
        )
    if (kind == ActionKind.NOTE or corrects is not None) and not note:
        raise _field_error(
            "note",
            str(_("Write the note (for a correction: what was wrong and what is right).")),
            "note_required",
        )
    if corrects is not None and corrects.case_id != case.pk:
        raise _field_error(
            "corrects",
            str(_("A correction must refer to an entry of the same case.")),
            "corrects_other_case",
        )


def action_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    occurred_on: date,
    note: str,
    next_action_on: date | None = None,
    fir_number: str = "",
    police_station: str = "",
    law_sections: str = "",
    corrects: CaseAction | None = None,
    public: bool = False,
    request: HttpRequest | None = None,
) -> CaseAction:
    """Add an entry to a case's timeline (or a correction of an earlier entry).

    ``public`` publishes the entry's note to the complainant's tracking page: staff choose it
    explicitly for each entry, and an entry without a note has nothing to publish.
    """
    note = note.strip()
    if kind == ActionKind.FIR:
        fir_number, police_station = fir_number.strip(), police_station.strip()
        law_sections = law_sections.strip()
    else:
        fir_number = police_station = law_sections = ""
    if not policy.may(actor, action_rule(kind), case):
        raise MeesaqError(_("Your role cannot add this kind of entry."), code="forbidden")
    _check_entry(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        note=note,
        next_action_on=next_action_on,
        fir_number=fir_number,
        police_station=police_station,
        corrects=corrects,
    )
    with transaction.atomic():
        entry = CaseAction(
            case=case,
            kind=kind,
            occurred_on=occurred_on,
            author=actor,
            note=note,
            next_action_on=next_action_on,
            fir_number=fir_number,
            police_station=police_station,
            law_sections=law_sections,
            corrects=corrects,
            public=public and bool(note),
        )
        entry.full_clean()
        entry.save()
        if kind != ActionKind.NOTE:
            # The first real action stops the first-action clock of the service-level deadline;
            # a conditional update, so two first actions at once cannot both set it.
            now = timezone.now()
            if Case.objects.filter(pk=case.pk, first_action_at__isnull=True).update(
                first_action_at=now
            ):
                case.first_action_at = now
        detail: dict[str, str | int | bool | None] = {"kind": kind, "action_id": entry.pk}
        if corrects is not None:
            detail["corrects"] = corrects.pk
        if entry.public:
            detail["public"] = True
        audit_record(
            actor=actor, action="cases.action_added", target=case, request=request, detail=detail
        )
    return entry


COMPLAINANT_NOTE_MAX = 5000


def action_add_from_complainant(
    *, case: Case, note: str, request: HttpRequest | None = None
) -> CaseAction:
    """Add what the complainant wrote later (portal or message) to the timeline, audited.

    Called only by the public services after they have checked the complainant's code and PIN
    (or the message's signature); never published back, never counted as a first action.
    """
    note = note.strip()
    if not note:
        raise _field_error("note", str(_("Write what you want to add.")), "note_required")
    if len(note) > COMPLAINANT_NOTE_MAX:
        raise _field_error(
            "note",
            str(_("Write at most %(count)d characters.") % {"count": COMPLAINANT_NOTE_MAX}),
            "note_too_long",
        )
    with transaction.atomic():
        entry = CaseAction(
            case=case,
            kind=ActionKind.NOTE,
            occurred_on=timezone.localdate(),
            author=None,
            note=note,
            from_complainant=True,
        )
        entry.full_clean()
        entry.save()
        audit_record(
            actor=None,
            action="cases.action_added",
            target=case,
            request=request,
            detail={"kind": ActionKind.NOTE, "action_id": entry.pk, "from_complainant": True},
        )
    return entry
