"""The kata's machinery that learners touch: the pytest plugin, check helpers, offline weights, metadata."""
