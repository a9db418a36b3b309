"""局域网服务器: make this PC the office's PostgreSQL server, or connect this PC to one.

What other capabilities' pages may use is named here (loaded on first use); the rest of
this package is its own.
"""

from importlib import import_module

PUBLIC = {'ServerDialog': 'server_dialog', 'ConnectDialog': 'connect_dialog'}


def __getattr__(name: str):
    if name in PUBLIC:
        return getattr(import_module(f"{__name__}.{PUBLIC[name]}"), name)
    raise AttributeError(name)
