"""Every write about referrals and transfers, each with its audit event and notices."""

from meesaq.referrals.services.referrals import (
    REASON_MAX,
    RECEIVER,
    REFERRER,
    STEPS,
    TEXT_MAX,
    Step,
    receiving_side,
    referral_accept,
    referral_answer,
    referral_complete,
    referral_create,
    referral_decline,
    referral_record_service,
    referral_request_info,
    referral_step,
    referral_withdraw,
    referring_side,
)
from meesaq.referrals.services.transfers import (
    transfer_accept,
    transfer_decline,
    transfer_request,
)

__all__ = [
    "REASON_MAX",
    "RECEIVER",
    "REFERRER",
    "STEPS",
    "TEXT_MAX",
    "Step",
    "receiving_side",
    "referral_accept",
    "referral_answer",
    "referral_complete",
    "referral_create",
    "referral_decline",
    "referral_record_service",
    "referral_request_info",
    "referral_step",
    "referral_withdraw",
    "referring_side",
    "transfer_accept",
    "transfer_decline",
    "transfer_request",
]
