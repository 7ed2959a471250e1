"""Step definitions for tutorial step 3d (arrive with its issue)."""
