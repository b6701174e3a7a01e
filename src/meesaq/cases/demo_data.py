"""Data of the demo cases: the mix of statuses and their paths, texts in English and Urdu.

Invented: no real person, place of worship or incident is described.
"""

# Urdu full stops are this module's subject, not look-alike typos.
# ruff: noqa: RUF001

from __future__ import annotations

from typing import Final

from meesaq.cases.models import ActionKind, Status

S = Status

REASONS: Final = {
    S.NOT_IN_MANDATE: "A private civil dispute with no element of discrimination; the "
    "complainant was told how to approach the civil court.",
    S.WITHDRAWN: "The complainant withdrew the complaint after the families reached a settlement.",
    S.REOPENED: "New threats were reported after closure.",
    S.IN_ACTION: "Returned: the follow-up visit has not been recorded yet.",
}
TITLES: Final = {
    "threats": ("Threatening calls to a church elder", "Family threatened to leave the village"),
    "physical_violence": ("Labourer beaten at a brick kiln", "Assault on a sanitation worker"),
    "sexual_violence": ("Harassment of a domestic worker", "Sexual assault reported by a family"),
    "abduction": ("Teenage girl missing after leaving school", "Young man taken from the bazaar"),
    "forced_conversion": ("Minor said to have been converted by force", "Conversion under threat"),
    "forced_marriage": ("Underage marriage reported by parents", "Girl married without consent"),
    "blasphemy_mob": ("Crowd gathered after an accusation", "Mob threat after a social post"),
    "worship_attack": ("Graveyard wall damaged at night", "Stones thrown at a temple gate"),
    "land_grabbing": ("Church land occupied by a neighbour", "Family plot taken over"),
    "discrimination": ("Child refused admission at a school", "Worker denied wages by faith"),
    "hate_speech": ("Hateful loudspeaker announcement", "Hate posters in the market"),
    "bonded_labour": ("Family held at a brick kiln over a loan", "Farm workers not free to leave"),
    "police_misconduct": ("Police refused to register a complaint", "Complainant held at a post"),
    "other": ("Request for protection at a festival", "Dispute over a water connection"),
}
URDU_TITLE: Final = "{category} کی شکایت، {district}"
NARRATIVE: Final = (
    "{name} came to the centre and reported: {title}. {pronoun} says the trouble began about "
    "{days} days earlier and that neighbours saw what happened. {name} asked for protection "
    "and for the matter to be taken up with the police."
)
URDU_NARRATIVE: Final = (
    "{name} نے مرکز آ کر شکایت درج کرائی کہ انہیں {category} کا سامنا ہے۔ ان کے مطابق یہ "
    "سلسلہ چند دن پہلے شروع ہوا اور محلے کے لوگ اس کے گواہ ہیں۔ انہوں نے تحفظ اور پولیس کارروائی "
    "کی درخواست کی۔"
)
NOTES: Final[dict[str, str]] = {
    ActionKind.NOTE: "Spoke with {name}; the family is safe for now.",
    ActionKind.CALL: "Called {name} to confirm the details and the next visit.",
    ActionKind.MEETING: "Met {name} and the elders of the area at the centre.",
    ActionKind.FIR: "FIR registered on the centre's request; copy given to {name}.",
    ActionKind.PROTECTION: "Police picket placed near the home and the place of worship.",
    ActionKind.MEDIATION: "Mediation meeting held with both families and local notables.",
    ActionKind.LEGAL_AID: "Referred {name} to the legal aid desk for a lawyer.",
    ActionKind.SUPPORT: "Arranged a visit to the psychologist at the district hospital.",
    ActionKind.FOLLOW_UP: "Follow-up visit: {name} reports no new incident.",
    ActionKind.DOCUMENT: "Statement of {name} received in writing.",
}
URDU_NOTE: Final = "{name} سے بات ہوئی؛ خاندان فی الحال محفوظ ہے۔"
LAW_SECTIONS: Final = {
    "threats": "506 PPC",
    "physical_violence": "337-A, 506 PPC",
    "sexual_violence": "354, 376 PPC",
    "abduction": "365-B PPC",
    "forced_conversion": "365-B, 506 PPC",
    "forced_marriage": "498-B PPC; Child Marriage Restraint Act",
    "blasphemy_mob": "147, 149, 506 PPC",
    "worship_attack": "295, 427 PPC",
    "land_grabbing": "447, 448 PPC",
    "hate_speech": "153-A, 295-A PPC",
    "bonded_labour": "Bonded Labour System (Abolition) Act, 374 PPC",
    "police_misconduct": "155-C Police Order",
}
POLICE_STATIONS: Final = (
    "Police Station Saddar",
    "Police Station City",
    "Police Station Civil Lines",
    "Police Station Cantt",
    "Police Station Model Town",
    "Police Station Satellite Town",
)

HISTORY_DAYS: Final = 548  # about 18 months
STATUS_MIX: Final[dict[str, tuple[int, int, int]]] = {
    Status.RECEIVED: (30, 0, 25),
    Status.REGISTERED: (35, 2, 60),
    Status.IN_ACTION: (70, 5, 300),
    Status.RESOLVED: (20, 20, 400),
    Status.CLOSURE_REQUESTED: (15, 20, 400),
    Status.CLOSED: (70, 40, HISTORY_DAYS),
    Status.NOT_IN_MANDATE: (20, 1, HISTORY_DAYS),
    Status.DUPLICATE: (10, 1, HISTORY_DAYS),
    Status.WITHDRAWN: (15, 10, HISTORY_DAYS),
    Status.REOPENED: (15, 60, HISTORY_DAYS),
}
# The status history each final status is reached by: every step is a row of the workflow table.
PATHS: Final = {
    S.RECEIVED: (S.RECEIVED,),
    S.REGISTERED: (S.RECEIVED, S.REGISTERED),
    S.IN_ACTION: (S.RECEIVED, S.REGISTERED, S.IN_ACTION),
    S.RESOLVED: (S.RECEIVED, S.REGISTERED, S.IN_ACTION, S.RESOLVED),
    S.CLOSURE_REQUESTED: (S.RECEIVED, S.REGISTERED, S.IN_ACTION, S.RESOLVED, S.CLOSURE_REQUESTED),
    S.CLOSED: (S.RECEIVED, S.REGISTERED, S.IN_ACTION, S.RESOLVED, S.CLOSURE_REQUESTED, S.CLOSED),
    S.NOT_IN_MANDATE: (S.RECEIVED, S.NOT_IN_MANDATE),
    S.DUPLICATE: (S.RECEIVED, S.DUPLICATE),
    S.WITHDRAWN: (S.RECEIVED, S.REGISTERED, S.IN_ACTION, S.WITHDRAWN),
    S.REOPENED: (
        *(S.RECEIVED, S.REGISTERED, S.IN_ACTION, S.RESOLVED, S.CLOSURE_REQUESTED, S.CLOSED),
        S.REOPENED,
    ),
}
# A closure returned for more action, for some of the cases in action.
RETURNED_PATH: Final = (*PATHS[S.CLOSURE_REQUESTED], S.IN_ACTION)
FAITH_GROUPS: Final = (("christian", 45), ("hindu", 30), ("ahmadi", 8), ("sikh", 5), ("other", 4))
AGE_BANDS: Final = {"30-44": "30-49", "45-59": "50-64", "60+": "65+"}
RISKY: Final = {
    "threats": ("risk_threat_to_life",),
    "abduction": ("risk_threat_to_life", "risk_child_involved"),
    "forced_conversion": ("risk_child_involved",),
    "forced_marriage": ("risk_child_involved",),
    "blasphemy_mob": ("risk_mob_threat", "risk_threat_to_life", "risk_displacement"),
    "worship_attack": ("risk_mob_threat",),
    "physical_violence": ("risk_ongoing_violence",),
    "sexual_violence": ("risk_ongoing_violence",),
    "land_grabbing": ("risk_displacement",),
}
