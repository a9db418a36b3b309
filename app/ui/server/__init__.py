"""本机作为局域网服务器 and 连接到局域网服务器: the office's own PostgreSQL server.

Other capabilities' pages may use the names in PUBLIC; the rest of this package is its own.
"""

from app.ui.common.public import lazy_exports

PUBLIC = {'ServerDialog': 'server_dialog', 'ConnectDialog': 'connect_dialog'}

__getattr__ = lazy_exports(__name__, PUBLIC)
