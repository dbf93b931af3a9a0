"""Public pages of the plan, one module per kind of page."""
