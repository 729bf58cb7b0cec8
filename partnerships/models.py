"""The four AI partnerships, their deliverables and the history of progress changes."""
