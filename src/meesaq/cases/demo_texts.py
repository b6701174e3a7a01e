"""Texts of the demo cases: titles, narratives, notes and places, in English and Urdu.

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
