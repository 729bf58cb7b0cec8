"""Template tags of the admin: the dashboard on the index page."""

from django import template

from devsky.admin_base import health_badge, progress_bar
from devsky.dashboard import dashboard

register = template.Library()


@register.inclusion_tag("admin/devsky/dashboard.html", takes_context=True)
def devsky_dashboard(context):
    request = context["request"]
    return {"dashboard": dashboard(user=request.user), "request": request}


@register.simple_tag
def progress(value):
    return progress_bar(value)


@register.simple_tag
def badge(level, score=None):
    return health_badge(level, score)
