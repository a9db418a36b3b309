"""Kinds of database backup, stored in each backup's manifest by their Chinese value."""

from __future__ import annotations

from enum import StrEnum


class BackupKind(StrEnum):
    DAILY = "每日"        # the first start of each day
    MANUAL = "手动"       # 立即备份
    UPGRADE = "升级前"    # before the program upgrades the database's structure
    RESTORE = "恢复前"    # the current data, kept before a restore replaces it

    @property
    def code(self) -> str:
        """The ASCII word in the backup's file name."""
        return {"每日": "daily", "手动": "manual", "升级前": "upgrade", "恢复前": "restore"}[self.value]
