"""Errors the services raise for the clerk to read."""


class UserError(Exception):
    """Something the user can fix; the message is Chinese and says what to do next."""


class Cancelled(Exception):
    """The user pressed 取消; nothing was changed."""
