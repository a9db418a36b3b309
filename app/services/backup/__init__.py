"""Data safety: backups of the embedded database and checked restore (sqlite_backup, restore),
the whole-data archive for moving between PCs and databases (archive, archive_import), and one
long write at a time on SQLite (write_lock)."""
