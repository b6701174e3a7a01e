"""Every write about users, sign-in, passwords and second factors, each with its audit event."""

from meesaq.accounts.services.passwords import (
    sign_in_failure_record,
    sign_in_record,
    sign_out_record,
    user_password_change,
    user_password_set_with_link,
    user_sign_out_everywhere,
)
from meesaq.accounts.services.two_factor import (
    BACKUP_CODE_COUNT,
    BACKUP_DEVICE_NAME,
    DEFAULT_AUTHENTICATOR_NAME,
    backup_codes_generate,
    backup_codes_regenerate,
    two_factor_device_confirm,
    two_factor_device_remove,
    two_factor_device_start,
    two_factor_verify,
)
from meesaq.accounts.services.users import (
    CreatedUser,
    membership_add,
    membership_remove,
    user_create,
    user_deactivate,
    user_reactivate,
    user_set_password_link,
    user_two_factor_reset,
    user_update,
)

__all__ = [
    "BACKUP_CODE_COUNT",
    "BACKUP_DEVICE_NAME",
    "DEFAULT_AUTHENTICATOR_NAME",
    "CreatedUser",
    "backup_codes_generate",
    "backup_codes_regenerate",
    "membership_add",
    "membership_remove",
    "sign_in_failure_record",
    "sign_in_record",
    "sign_out_record",
    "two_factor_device_confirm",
    "two_factor_device_remove",
    "two_factor_device_start",
    "two_factor_verify",
    "user_create",
    "user_deactivate",
    "user_password_change",
    "user_password_set_with_link",
    "user_reactivate",
    "user_set_password_link",
    "user_sign_out_everywhere",
    "user_two_factor_reset",
    "user_update",
]
