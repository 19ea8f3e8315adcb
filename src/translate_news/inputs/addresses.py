"""Which hosts a fetch may reach: a service fetching URLs for others must not be turned
against the machines behind it (SSRF), so it can refuse every address that is not public.

The check is made on the addresses a name resolves to, and the connection is then made to
the address checked (not to the name again), so a DNS answer that changes between the check
and the connection cannot slip a private address through. Each redirect opens a new
connection, so each is checked too.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from ..errors import InputError

PRIVATE_FIX = (
    "the server fetches public addresses only; an intranet's operator can start it with "
    "--allow-private-urls"
)


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (not private, loopback, link-local,
    multicast, reserved or unspecified; an IPv4-mapped IPv6 address is judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def public_connection(url: str) -> Any:
    """A `socket.create_connection` that connects only to public addresses, to the address
    it checked; any other is an InputError naming `url` and the host."""

    def connect(
        address: tuple[str, int], timeout: Any = None, source_address: Any = None, **_: Any
    ) -> socket.socket:
        host, port = address
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise OSError(f"cannot resolve {host}: {error.strerror}") from error
        for *_, sockaddr in found:
            if not is_public(str(sockaddr[0])):
                raise InputError(
                    f"{url}: {host} is at {sockaddr[0]}, a private or local address",
                    PRIVATE_FIX,
                )
        family, kind, protocol, _name, sockaddr = found[0]
        sock = socket.socket(family, kind, protocol)
        try:
            if timeout is not None:
                sock.settimeout(timeout)
            if source_address is not None:
                sock.bind(source_address)
            sock.connect(sockaddr)
        except OSError:
            sock.close()
            raise
        return sock

    return connect
