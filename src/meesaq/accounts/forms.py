"""Forms for sign-in, second factors, one's own account and user management."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.db.models import QuerySet
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from meesaq.access.roles import Role
from meesaq.accounts.models import User
from meesaq.core.errors import MeesaqError
from meesaq.orgs.models import Organisation


def show_error(form: forms.BaseForm, error: MeesaqError) -> None:
    """Put a service's refusal on the form: on its fields where named, else above the form."""
    placed = False
    for name, messages in error.fields.items():
        if name in form.fields:
            for message in messages:
                form.add_error(name, str(message))
            placed = True
    if not placed:
        form.add_error(None, str(error.message))


class SignInForm(AuthenticationForm):
    """Username and password; the wording never says which of the two was wrong."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")

    error_messages = {
        "invalid_login": _(
            "That username and password do not match an active account. Check both and try again."
        ),
        "inactive": _("This account is not active. Ask your administrator."),
    }


class _PasswordLabels:
    """Labels in Meesaq's own words (and catalogue): Django's Urdu is incomplete here."""

    def label_password_fields(self, fields: dict[str, forms.Field]) -> None:
        labels = {
            "old_password": _("Current password"),
            "new_password1": _("New password"),
            "new_password2": _("New password again"),
        }
        for name, label in labels.items():
            if name in fields:
                fields[name].label = label
        if "new_password2" in fields:
            fields["new_password2"].help_text = _("Type the same password again, to be sure.")


class NewPasswordForm(_PasswordLabels, SetPasswordForm):  # type: ignore[type-arg]  # stubs' generic
    """Set a password through a one-time link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_password_fields(self.fields)


class ChangePasswordForm(_PasswordLabels, PasswordChangeForm):
    """Change one's own password, giving the current one."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("Your current password was entered incorrectly. Try again."),
        "password_mismatch": _("The two new passwords differ. Type them again."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_password_fields(self.fields)


class CodeForm(forms.Form):
    """A 6-digit code from an authenticator app, or a backup code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code your authenticator app shows, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class DeviceConfirmForm(forms.Form):
    """Name a new authenticator and prove it works with its current code."""

    name = forms.CharField(
        label=_("Name for this authenticator"),
        max_length=64,
        required=False,
        help_text=_("For example, the phone it is on."),
    )
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ConfirmationForm(forms.Form):
    """Prove it is really you before changing your second factors."""

    confirmation = forms.CharField(
        label=_("Your password or a current code"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


ACTIVE_CHOICES = [("", _("Any")), ("yes", _("Active")), ("no", _("Deactivated"))]


class UserFilterForm(forms.Form):
    """Filters of the user list."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Any")), *Role.choices], required=False
    )
    active = forms.ChoiceField(label=_("Status"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  # narrows the type
        field.queryset = organisations


class UserCreateForm(forms.ModelForm):  # type: ignore[type-arg]  # stubs' ModelForm generic
    """A new user's name and contact; the password is theirs to choose through a link."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]
        help_texts = {
            "email": _("The set-password link is sent here too. Optional."),
        }


class UserEditForm(forms.ModelForm):  # type: ignore[type-arg]  # stubs' ModelForm generic
    """A user's names and email address."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]


class MembershipForm(forms.Form):
    """One role in one organisation."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *Role.choices])

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  # narrows the type
        field.queryset = organisations


MembershipFormSet = formset_factory(
    MembershipForm, extra=2, min_num=1, validate_min=True, max_num=10, validate_max=True
)
