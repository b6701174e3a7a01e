"""The administrators' taxonomy pages: list the terms, add one, edit one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from meesaq.access import policy
from meesaq.access.decorators import page
from meesaq.cases.models import AffectedGroup
from meesaq.cases.models.taxonomy import TaxonomyTerm
from meesaq.cases.services.taxonomy import TAXONOMIES, taxonomy_term_save
from meesaq.core.errors import MeesaqError

TITLES = {
    "categories": _("Categories"),
    "groups": _("Affected groups"),
    "outcomes": _("Outcomes"),
}


def _model(kind: str) -> type[TaxonomyTerm]:
    if kind not in TAXONOMIES:
        raise Http404
    return TAXONOMIES[kind]


def _form_class(model: type[TaxonomyTerm]) -> type[forms.ModelForm]:  # type: ignore[type-arg]  # any term model
    fields = ["code", "label_en", "label_ur", "description_en", "description_ur", "order"]
    if model is AffectedGroup:
        fields.append("kind")
    fields.append("is_active")
    return forms.modelform_factory(
        model,
        fields=fields,
        widgets={
            "description_en": forms.Textarea(attrs={"rows": 2}),
            "description_ur": forms.Textarea(attrs={"rows": 2, "dir": "rtl", "lang": "ur"}),
            "label_ur": forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
        },
    )


@page("taxonomy.manage")
def taxonomy_index(request: HttpRequest) -> HttpResponse:
    """List every taxonomy with its terms."""
    sections = [
        {"kind": kind, "title": TITLES[kind], "terms": list(model._default_manager.all())}
        for kind, model in TAXONOMIES.items()
    ]
    return render(request, "cases/taxonomy.html", {"sections": sections})


@page("taxonomy.manage")
def taxonomy_edit(request: HttpRequest, kind: str, code: str = "") -> HttpResponseBase:
    """Add a term (no code in the address) or edit one."""
    model = _model(kind)
    term = model() if not code else model._default_manager.filter(code=code).first()
    if term is None:
        raise Http404
    form = _form_class(model)(request.POST or None, instance=term)
    if code:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            taxonomy_term_save(
                actor=policy.acting_user(request), term=form.instance, request=request
            )
        except MeesaqError as error:
            for field, field_messages in error.fields.items():
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, str(message))
            if not error.fields:
                form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:taxonomy")
    return render(
        request,
        "cases/taxonomy_form.html",
        {"form": form, "title": TITLES[kind], "creating": not code},
    )
