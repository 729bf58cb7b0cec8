"""Serializer building blocks shared by the apps."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class StrictInputSerializer(serializers.Serializer):
    """An input serializer that refuses fields it does not know, naming them, instead of ignoring them."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


class FieldSelectionSerializerMixin:
    """Output only the fields named in the ``fields`` context entry (set by FieldSelectionMixin)."""

    def get_field_names(self, declared_fields, info):  # ModelSerializer hook
        names = super().get_field_names(declared_fields, info)
        selected = self.context.get("fields")
        return [name for name in names if name in selected] if selected else names
