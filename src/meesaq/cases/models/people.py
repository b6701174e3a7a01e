"""People on cases: identity encrypted with blind indexes, demographics plain for statistics."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from meesaq.core.models import TimeStampedModel
from meesaq.crypto.fields import EncryptedTextField


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    TRANSGENDER = "transgender", _("Transgender")
    UNKNOWN = "unknown", _("Not known")


class AgeBand(models.TextChoices):
    CHILD = "0-17", _("Under 18")
    YOUNG = "18-29", _("18 to 29")
    ADULT = "30-49", _("30 to 49")
    OLDER = "50-64", _("50 to 64")
    ELDER = "65+", _("65 or older")
    UNKNOWN = "unknown", _("Not known")


class Faith(models.TextChoices):
    MUSLIM = "muslim", _("Muslim")
    CHRISTIAN = "christian", _("Christian")
    HINDU = "hindu", _("Hindu")
    SIKH = "sikh", _("Sikh")
    AHMADI = "ahmadi", _("Ahmadi")
    PARSI = "parsi", _("Parsi")
    BAHAI = "bahai", _("Baha'i")
    KALASH = "kalash", _("Kalash")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class PersonRole(models.TextChoices):
    COMPLAINANT = "complainant", _("Complainant")
    VICTIM = "victim", _("Victim or survivor")
    PERPETRATOR = "perpetrator", _("Alleged perpetrator")
    WITNESS = "witness", _("Witness")
    GUARDIAN = "guardian", _("Guardian")


class Person(TimeStampedModel):
    """A person known to the system; the same person can appear on several cases."""

    full_name = EncryptedTextField(_("name"), blank=True, max_length=200)
    relative_name = EncryptedTextField(_("father's or husband's name"), blank=True, max_length=200)
    cnic = EncryptedTextField(_("CNIC"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("address"), blank=True, max_length=500)
    cnic_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    gender = models.CharField(
        _("gender"), max_length=12, choices=Gender.choices, default=Gender.UNKNOWN
    )
    age_band = models.CharField(
        _("age"), max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    faith = models.CharField(
        _("faith"), max_length=12, choices=Faith.choices, default=Faith.UNKNOWN
    )
    disability = models.BooleanField(_("has a disability"), default=False)
    # The organisation that first recorded the person; identity reach for people not yet on a case.
    recorded_by_organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return f"P-{self.pk}"


class PersonNameToken(models.Model):
    """One blind-indexed token of a person's name; rebuilt whenever the name changes."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "token"], name="cases_person_token_unique")
        ]
        # A name search reads the holders of a token in person order (index only), so the
        # holders of two tokens meet in a merge join.
        indexes = [models.Index(fields=["token", "person"], name="person_token_lookup")]

    def __str__(self) -> str:
        return self.token[:8]


class CasePerson(models.Model):
    """A person's part in one case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(_("role in the case"), max_length=20, choices=PersonRole.choices)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "role"], name="cases_caseperson_unique"
            )
        ]
        verbose_name = _("person on a case")
        verbose_name_plural = _("people on cases")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.person_id}:{self.role}"
