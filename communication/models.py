"""Communication protocols, meetings, scheduling and reminders."""
