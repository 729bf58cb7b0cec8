"""Admin of orchestration: saves through orchestration.services so history and events are never skipped."""
