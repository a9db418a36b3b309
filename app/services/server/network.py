"""This PC's IPv4 addresses, for the administrator to pick the one the office LAN reaches.

Standard library only (QtNetwork is not in the bundle): the addresses the host name resolves
to, plus the one the system would route a LAN packet from (a UDP socket's connect sends
nothing). Private LAN addresses first, loopback last.
"""

from __future__ import annotations

import ipaddress
import socket


def _routed_address(target: str) -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect((target, 9))
            return sock.getsockname()[0]
        except OSError:
            return None


def local_addresses() -> list[str]:
    found: set[str] = set()
    for target in ("192.168.255.255", "10.255.255.255", "172.31.255.255"):
        address = _routed_address(target)
        if address:
            found.add(address)
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(info[4][0])
    except OSError:
        pass
    found.add("127.0.0.1")
    addresses = [ipaddress.IPv4Address(a) for a in found if a != "0.0.0.0"]
    return [str(a) for a in sorted(addresses, key=lambda a: (a.is_loopback, not a.is_private, a))]
