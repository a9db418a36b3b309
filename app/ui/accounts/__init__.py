"""Accounts in the GUI: first start, login, change password, the 用户管理 page."""
