"""一公开: the office's working-day calendar, publications and their deadlines, the tables."""
