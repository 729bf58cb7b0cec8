"""Models of communication. Communication protocols, meetings, scheduling and reminders."""
