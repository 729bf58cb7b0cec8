"""Who sent a request: the unit that owns a rate-limit budget and an Idempotency-Key namespace."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework.request import Request


def principal_key(request: Request) -> str:
    """The API key itself, else the user, else the client address (as DRF resolves it behind proxies)."""
    from devsky.models import UserAPIKey

    if isinstance(request.auth, UserAPIKey):
        return f"api_key:{request.auth.pk}"
    if request.user and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


# --- the authenticated user, cached ---------------------------------------------------------------
#
# Every JWT or API-key request needs its user (active? password unchanged?) and the user's roles: two
# queries per request. The snapshot below holds both in the shared cache (Redis in services mode), so
# all web processes see one copy. Anything that changes what the snapshot says — saving or deleting the
# user (password change, deactivation), adding or removing a group, renaming or deleting a group —
# deletes it through the signals in devsky.apps, so a revocation takes effect on the next request.
# The TTL bounds what a write that bypasses signals (``QuerySet.update`` on users) can leave stale.
# The password hash itself is never cached: only the digest JWTs carry for revocation (CHECK_REVOKE_TOKEN).

USER_CACHE_TTL_SECONDS = 60
_USER_KEY = "auth:user:v1:{}"


def _user_cache_key(user_id: Any) -> str:
    return _USER_KEY.format(user_id)


def user_cached(user_id: Any):
    """The active-or-not user with this id, with its roles and password digest attached; None if unknown.

    The instance is a normal model instance whose ``password`` field is deferred: reading it loads it,
    and saving it never writes a stale copy (Django saves only the loaded fields of such an instance).
    """
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from rest_framework_simplejwt.utils import get_md5_hash_password

    from devsky.roles import user_roles

    model = get_user_model()
    key = _user_cache_key(user_id)
    snapshot = cache.get(key)
    if snapshot is None:
        user = model.objects.filter(pk=user_id).first()
        if user is None:
            return None
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "password"]
        snapshot = {
            "fields": fields,
            "values": [getattr(user, name) for name in fields],
            "roles": sorted(user_roles(user)),
            "password_digest": get_md5_hash_password(user.password),
        }
        cache.set(key, snapshot, USER_CACHE_TTL_SECONDS)
    user = model.from_db(model.objects.db, snapshot["fields"], snapshot["values"])
    user._devsky_roles = frozenset(snapshot["roles"])
    user._devsky_password_digest = snapshot["password_digest"]
    return user


def user_cache_invalidate(user_ids: Iterable[Any]) -> None:
    """Drop the snapshots now and again after the commit, so a request that re-reads the user between
    the write and the commit cannot leave the old state cached."""
    from django.core.cache import cache
    from django.db import transaction

    keys = [_user_cache_key(user_id) for user_id in user_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def user_cache_connect() -> None:
    """Wire the invalidation signals (called once from DevskyConfig.ready)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    model = get_user_model()

    def user_changed(sender, instance, **kwargs) -> None:
        user_cache_invalidate([instance.pk])

    def groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
        if reverse and action == "pre_clear":  # group.user_set.clear(): note the members before they go
            instance._devsky_cleared_users = list(instance.user_set.values_list("pk", flat=True))
        if not action.startswith("post_"):
            return
        if not reverse:  # user.groups.add(...): the instance is the user
            user_cache_invalidate([instance.pk])
        elif action == "post_clear":
            user_cache_invalidate(getattr(instance, "_devsky_cleared_users", []))
        else:  # group.user_set.add(...): pk_set holds the users
            user_cache_invalidate(pk_set or [])

    def group_changed(sender, instance, **kwargs) -> None:
        if instance.pk is not None:
            user_cache_invalidate(list(model.objects.filter(groups=instance).values_list("pk", flat=True)))

    post_save.connect(user_changed, sender=model, weak=False, dispatch_uid="devsky.user_cache.user_saved")
    post_delete.connect(user_changed, sender=model, weak=False, dispatch_uid="devsky.user_cache.user_deleted")
    m2m_changed.connect(
        groups_changed, sender=model.groups.through, weak=False, dispatch_uid="devsky.user_cache.groups"
    )
    post_save.connect(group_changed, sender=Group, weak=False, dispatch_uid="devsky.user_cache.group_saved")
    pre_delete.connect(group_changed, sender=Group, weak=False, dispatch_uid="devsky.user_cache.group_deleted")
