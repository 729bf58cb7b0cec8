"""What every project admin shares: the audit log on the history page, and role-aware access."""

from __future__ import annotations

from simple_history.admin import SimpleHistoryAdmin


class AuditedAdmin(SimpleHistoryAdmin):
    """The "History" page lists every audit record of the object: who, when, each field before → after,
    and the request id. Reverting from the history is off (SIMPLE_HISTORY_REVERT_DISABLED): a revert would
    skip the services that keep history, events and caches right."""

    history_list_display = ["request_id"]
