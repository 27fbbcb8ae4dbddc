"""Qt widgets, models and dialogs. Talks only to the WebOps protocol and to core."""
