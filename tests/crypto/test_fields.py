"""EncryptedTextField: plain text in Python, tokens in the column, no searching of ciphertext."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import FieldError, ValidationError
from django.db import connection
from django.db.models.functions import Lower

from meesaq.crypto.fields import EncryptedTextField
from meesaq.crypto.keyring import DecryptionError
from tests.crypto.conftest import CNIC, NAME, MakeRecord
from tests.testapp.models import ProtectedRecord


def raw_row(pk: int) -> tuple[str, str, str]:
    """Return the stored name, CNIC and phone columns of a record as the database holds them."""
    table = ProtectedRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT full_name, cnic, phone FROM {table} WHERE id = %s", [pk])  # noqa: S608  # the table name is the model's own
        row = cursor.fetchone()
    assert row is not None
    return row[0], row[1], row[2]


def test_it_gives_back_the_plain_text_after_saving_and_reading(make_record: MakeRecord) -> None:
    record = make_record()
    fresh = ProtectedRecord.objects.get(pk=record.pk)
    assert (fresh.full_name, fresh.cnic) == (NAME, CNIC)
    assert ProtectedRecord.objects.values_list("full_name", flat=True).get(pk=record.pk) == NAME


def test_it_stores_a_token_bound_to_each_column(make_record: MakeRecord) -> None:
    record = make_record()
    name, cnic, phone = raw_row(record.pk)
    assert all(value.startswith("v1.k1.") for value in (name, cnic, phone))
    field = ProtectedRecord._meta.get_field("full_name")
    assert isinstance(field, EncryptedTextField)
    assert field.associated_data == "testapp.protectedrecord.full_name"


def test_it_keeps_an_empty_value_empty_without_encrypting(make_record: MakeRecord) -> None:
    record = make_record(cnic="", phone="")
    assert raw_row(record.pk)[1:] == ("", "")
    assert ProtectedRecord.objects.get(pk=record.pk).cnic == ""
    assert ProtectedRecord.objects.filter(cnic="").count() == 1
    assert ProtectedRecord.objects.filter(cnic__isnull=True).count() == 0


def test_it_encrypts_values_written_by_update_and_bulk_update(make_record: MakeRecord) -> None:
    first, second = make_record(), make_record()
    ProtectedRecord.objects.filter(pk=first.pk).update(full_name="Naveed Gill")
    second.full_name = "Saima Bhatti"
    ProtectedRecord.objects.bulk_update([second], ["full_name"])
    assert raw_row(first.pk)[0].startswith("v1.k1.")
    assert raw_row(second.pk)[0].startswith("v1.k1.")
    names = set(ProtectedRecord.objects.values_list("full_name", flat=True))
    assert names == {"Naveed Gill", "Saima Bhatti"}


def test_it_refuses_a_value_swapped_in_from_another_column(make_record: MakeRecord) -> None:
    record = make_record()
    _, cnic_token, _ = raw_row(record.pk)
    table = ProtectedRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET full_name = %s WHERE id = %s", [cnic_token, record.pk])  # noqa: S608  # the table name is the model's own
    with pytest.raises(DecryptionError, match="another column"):
        ProtectedRecord.objects.get(pk=record.pk)


@pytest.mark.parametrize(
    "lookup",
    [
        {"full_name": NAME},
        {"full_name__icontains": "Shazia"},
        {"full_name__startswith": "v1."},
        {"full_name__in": [NAME]},
        {"cnic__gt": ""},
    ],
)
def test_it_refuses_lookups_that_would_search_ciphertext(
    make_record: MakeRecord, lookup: dict[str, object]
) -> None:
    make_record()
    with pytest.raises(FieldError, match="its values are encrypted and cannot be searched"):
        ProtectedRecord.objects.filter(**lookup).count()


def test_it_refuses_transforms_on_ciphertext(db: None) -> None:
    with pytest.raises(FieldError, match="cannot be searched"):
        ProtectedRecord.objects.filter(full_name__lower__exact="x").count()
    with pytest.raises(FieldError, match="cannot be searched"):
        ProtectedRecord.objects.annotate(n=Lower("full_name")).filter(n="x").count()


def test_it_checks_the_length_of_the_text_not_of_the_token(make_record: MakeRecord) -> None:
    record = make_record()
    record.full_name = "x" * 200
    record.full_clean()
    record.full_name = "x" * 201
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "full_name" in error.value.message_dict


def test_it_offers_a_one_line_form_input() -> None:
    formfield = ProtectedRecord._meta.get_field("full_name").formfield()
    assert formfield is not None
    assert isinstance(formfield.widget, forms.TextInput)
    assert formfield.max_length == 200  # type: ignore[attr-defined]


def test_it_deconstructs_for_migrations() -> None:
    field = EncryptedTextField(blank=True, associated_data="cases.person.name")
    _, path, args, kwargs = field.deconstruct()
    assert path == "meesaq.crypto.fields.EncryptedTextField"
    assert args == []
    assert kwargs == {"blank": True, "associated_data": "cases.person.name"}
    rebuilt = EncryptedTextField(*args, **kwargs)
    assert rebuilt.associated_data == "cases.person.name"
    _, _, _, plain_kwargs = EncryptedTextField(max_length=80).deconstruct()
    assert plain_kwargs == {"max_length": 80}


def test_it_refuses_to_be_unique() -> None:
    field = EncryptedTextField(unique=True)
    field.set_attributes_from_name("secret")
    field.model = ProtectedRecord
    assert "crypto.E003" in [error.id for error in field.check()]
