"""Departments, users and settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.db.models.base import Base


class Department(Base):
    """A regulating department (市场监管局, 卫健委, …) or the county 双随机办."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    short_name: Mapped[str] = mapped_column(String(20), default="")  # 文号里的简称，如“市监”
    is_office: Mapped[bool] = mapped_column(Boolean, default=False)  # 县双随机办
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    """An account. Never deleted: a person who leaves is deactivated, so old records keep their name."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))  # the real name on records and documents
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)  # 管理员 / 经办人 / 审核人 / 监督员 / 只读
    password_hash: Mapped[str] = mapped_column(String(200))  # scrypt$N$r$p$salt$hash
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())


class Setting(Base):
    """Office-wide settings shared by every PC on the same database."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
