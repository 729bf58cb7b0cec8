"""What every project admin shares: the audit log on the history page, and role-aware access."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin


class AuditedAdmin(SimpleHistoryAdmin):
    """The "History" page lists every audit record of the object: who, when, each field before → after,
    and the request id. Reverting from the history is off (SIMPLE_HISTORY_REVERT_DISABLED): a revert would
    skip the services that keep history, events and caches right."""

    history_list_display = ["request_id"]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history only hides the Revert button when reverting is off; a forged POST would still save
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied("Past versions are read-only.")
        return super().history_form_view(request, object_id, version_id, extra_context)


HEALTH_COLOURS = {"excellent": "#1e7b34", "good": "#3c78b5", "fair": "#c27c0e", "poor": "#b3261e"}
STATUS_COLOURS = {"healthy": "#1e7b34", "degraded": "#c27c0e", "critical": "#b3261e"}


def progress_bar(value: float | None) -> str:
    value = round(value or 0, 2)
    return format_html('<progress value="{}" max="100" title="{}%"></progress> {}%', value, value, value)


def health_badge(level: str | None, score: float | None = None) -> str:
    """A coloured pill: a health level (excellent … poor) or an overall status (healthy … critical)."""
    if not level:
        return "—"
    colour = HEALTH_COLOURS.get(level) or STATUS_COLOURS.get(level, "#666")
    return format_html(
        '<span class="health-badge" style="color:#fff;background:{};padding:2px 8px;border-radius:8px">{}{}</span>',
        colour,
        level,
        f" {score}" if score is not None else "",
    )
