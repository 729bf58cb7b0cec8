"""Admin of analytics: saves through analytics.services so history and events are never skipped."""
