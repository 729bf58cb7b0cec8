"""Admin of partnerships: saves through partnerships.services so history and events are never skipped."""
