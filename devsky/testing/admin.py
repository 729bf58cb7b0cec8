"""Submit a Django admin change form the way a browser would: start from what the page shows."""

from __future__ import annotations

from typing import Any


def _value(field: Any) -> Any:
    value = field.value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, list | tuple):
        return list(value)
    return value


def form_data(response: Any) -> dict[str, Any]:
    """The POST body of an admin add/change page as rendered: main form, inline management forms, inline rows."""
    data: dict[str, Any] = {}
    form = response.context["adminform"].form
    for bound in form:
        value = _value(bound)
        if value != "":
            data[bound.html_name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            data[bound.html_name] = bound.value()
        for inline_form in formset.forms:
            for bound in inline_form:
                value = _value(bound)
                if value != "":
                    data[bound.html_name] = value
    return data
