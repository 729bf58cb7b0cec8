"""Admin of content: saves through content.services so history and events are never skipped."""
