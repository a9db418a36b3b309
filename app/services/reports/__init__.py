"""报表: the 月报表 to the county 双随机办, filled from the office's own data."""
