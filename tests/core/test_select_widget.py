"""The project's select template (templates/django/forms/widgets/select.html)."""

from __future__ import annotations

import re

from django import forms


class _Form(forms.Form):
    place = forms.ChoiceField(
        choices=[("", "Any"), ("Punjab", [("PK6", "Punjab"), ("PK617", "Lahore & <Cantt>")])]
    )


def test_a_select_renders_groups_the_chosen_option_and_escaped_labels() -> None:
    html = str(_Form({"place": "PK617"})["place"])
    assert html.startswith('<select name="place"')
    assert 'id="id_place"' in html
    assert '<optgroup label="Punjab">' in html
    assert re.findall(r"<option [^>]*>", html) == [
        '<option value="">',
        '<option value="PK6">',
        '<option value="PK617" selected>',
    ]
    assert "Lahore &amp; &lt;Cantt&gt;" in html
