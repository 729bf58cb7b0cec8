"""A tiny app installed only by the test settings, to exercise the shared API machinery end to end."""
