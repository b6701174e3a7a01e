"""The cases domain's models, one module per sub-domain."""

from meesaq.cases.models.activity import ActionKind, Attachment, CaseAction
from meesaq.cases.models.case import (
    Case,
    CaseTransition,
    Channel,
    Moderation,
    Priority,
    ReferenceCounter,
    Status,
)
from meesaq.cases.models.feedback import (
    ComplainantFeedback,
    FeedbackAnswer,
    FeedbackChannel,
)
from meesaq.cases.models.people import (
    AgeBand,
    CasePerson,
    Faith,
    Gender,
    Person,
    PersonNameToken,
    PersonRole,
)
from meesaq.cases.models.taxonomy import AffectedGroup, Category, GroupKind, Outcome

__all__ = [
    "ActionKind",
    "AffectedGroup",
    "AgeBand",
    "Attachment",
    "Case",
    "CaseAction",
    "CasePerson",
    "CaseTransition",
    "Category",
    "Channel",
    "ComplainantFeedback",
    "Faith",
    "FeedbackAnswer",
    "FeedbackChannel",
    "Gender",
    "GroupKind",
    "Moderation",
    "Outcome",
    "Person",
    "PersonNameToken",
    "PersonRole",
    "Priority",
    "ReferenceCounter",
    "Status",
]
