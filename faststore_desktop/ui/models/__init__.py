"""Item models of the views, each with its own explicit roles."""
