"""Step definitions for tutorial step 3f (arrive with its issue)."""
