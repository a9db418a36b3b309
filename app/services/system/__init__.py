"""The program itself: settings, opening and upgrading the database, the audit log, set-up, self-test, the start page."""
