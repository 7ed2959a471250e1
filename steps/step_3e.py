"""Step definitions for tutorial step 3e (arrive with its issue)."""
