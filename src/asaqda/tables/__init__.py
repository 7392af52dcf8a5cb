"""Tables for reports: counts, crosstabs."""
