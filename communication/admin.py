"""Admin of communication: saves through communication.services so history and events are never skipped."""
