"""报表: the 月报表 page."""
