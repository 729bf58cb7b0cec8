"""Admin of the brand team's working tools: search, filters, status edited in the list, CSV import and
export (django-import-export, validated by the models' own rules), bulk verify and status actions."""

from django.contrib import admin, messages
from import_export import resources
from import_export.admin import ImportExportModelAdmin

from content import services
from content.choices import InfluencerStatus
from content.models import ContentPiece, Influencer
from devsky.admin_base import AuditedAdmin

INFLUENCER_FIELDS = [
    "name",
    "platform",
    "followers",
    "engagement_rate",
    "tier",
    "status",
    "verified",
    "contact",
    "notes",
]
PIECE_FIELDS = [
    "platform",
    "content_type",
    "title",
    "url",
    "published_at",
    "reach",
    "impressions",
    "conversions",
    "engagement_rate",
]


class InfluencerResource(resources.ModelResource):
    class Meta:
        model = Influencer
        fields = [
            "id",
            "name",
            "platform",
            "followers",
            "engagement_rate",
            "tier",
            "status",
            "verified",
            "contact",
            "notes",
        ]
        import_id_fields = ["name", "platform"]
        clean_model_instances = True  # the same validation as the API
        skip_unchanged = True

    def do_instance_save(self, instance, is_create):
        """Through the services, like the API: status changes are published, duplicates refused."""
        values = {name: getattr(instance, name) for name in INFLUENCER_FIELDS}
        if is_create:
            instance.pk = services.influencers_create(items=[values])[0].pk
        else:
            services.influencer_update(influencer_id=instance.pk, data=values)


class ContentPieceResource(resources.ModelResource):
    class Meta:
        model = ContentPiece
        fields = [
            "id",
            "platform",
            "content_type",
            "title",
            "url",
            "published_at",
            "reach",
            "impressions",
            "conversions",
            "engagement_rate",
            "partnership",
            "influencer",
        ]
        clean_model_instances = True

    def do_instance_save(self, instance, is_create):
        """Through the services: the partnership defaults to the active brand one, content.created is published."""
        values = {name: getattr(instance, name) for name in PIECE_FIELDS}
        values["partnership"] = instance.partnership_id
        values["influencer"] = instance.influencer_id
        if not is_create:
            services.content_update(piece_id=instance.pk, data=values)
            return
        if values["partnership"] is None:
            del values["partnership"]  # the service's default
        instance.pk = services.content_create(items=[values])[0].pk


def _status_action(status: str):
    def action(modeladmin, request, queryset):
        changed = services.influencers_set(influencer_ids=list(queryset.values_list("pk", flat=True)), status=status)
        modeladmin.message_user(request, f"{changed} influencer(s) set to {status}.", messages.SUCCESS)

    action.__name__ = f"set_status_{status}"
    action.short_description = f"Set status: {status}"
    return action


@admin.register(Influencer)
class InfluencerAdmin(AuditedAdmin, ImportExportModelAdmin):
    resource_classes = [InfluencerResource]
    list_display = ["name", "platform", "followers", "engagement_rate", "tier", "status", "verified"]
    list_editable = ["status"]
    list_filter = ["platform", "tier", "status", "verified"]
    search_fields = ["name", "contact", "notes"]
    show_full_result_count = False
    actions = ["verify", *(_status_action(status) for status in InfluencerStatus.values)]

    @admin.action(description="Mark as verified")
    def verify(self, request, queryset):
        changed = services.influencers_set(influencer_ids=list(queryset.values_list("pk", flat=True)), verified=True)
        self.message_user(request, f"{changed} influencer(s) verified.", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            services.influencer_update(influencer_id=obj.pk, data=values)
        else:
            created = services.influencers_create(items=[{**values, "name": obj.name, "platform": obj.platform}])
            obj.pk = created[0].pk


@admin.register(ContentPiece)
class ContentPieceAdmin(AuditedAdmin, ImportExportModelAdmin):
    resource_classes = [ContentPieceResource]
    list_display = [
        "id",
        "platform",
        "content_type",
        "published_at",
        "reach",
        "conversions",
        "engagement_rate",
        "partnership",
        "influencer",
    ]
    list_filter = ["platform", "content_type", "partnership"]
    search_fields = ["title", "content_type"]
    date_hierarchy = "published_at"
    list_select_related = ["partnership", "influencer"]
    raw_id_fields = ["influencer"]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        for link in ("partnership", "influencer"):
            if link in values:
                values[link] = values[link].pk if values[link] else None
        if change:
            services.content_update(piece_id=obj.pk, data=values)
        else:
            obj.pk = services.content_create(items=[values])[0].pk
