"""备份与恢复: the page, and the daily backup started with the window."""
