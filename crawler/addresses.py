"""Which hosts the crawl may connect to: public internet addresses only. Pure (no Scrapy, no I/O).

A seed, a redirect, a meta refresh or a link can name any host; without this a site could send
the crawler to 127.0.0.1 (its own admin pages), a router on 192.168.x, a cloud metadata service
on 169.254.169.254, and store what it found. Refused: every address `ipaddress` does not call
global (loopback, private, link-local, CGNAT 100.64/10, reserved, unspecified, documentation,
6to4 and NAT64 wrappers of such), multicast, and the IPv4 address inside an IPv4-mapped or
-compatible IPv6 one. Host names are judged by what they resolve to (crawler.middlewares.guard,
and crawler.resolver on the connection's own answer); `localhost` and its kin are refused by
name, since a proxy would resolve them on its own side.

IPv4 literals come in the spellings browsers and libc accept (the WHATWG URL standard's IPv4
parser): `2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1` all mean 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Names that mean "this machine" or "this local network" whatever the resolver says.
LOCAL_NAMES = frozenset(
    {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "broadcasthost"}
)
# RFC 6761 / 8375 / 6762 special-use and local-only suffixes.
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".localdomain")
IPV4_PARTS = 4
IPV4_BITS = 32
# NAT64 (RFC 6052): the last 32 bits are the IPv4 address a translator connects to.
NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")


class AddressSettingError(ValueError):
    """The allowed_addresses setting names something that is not a network."""


@dataclass(frozen=True)
class AddressPolicy:
    """Refuse non-public addresses, except the networks an operator allowed on purpose."""

    allowed: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, text: str) -> AddressPolicy:
        """From the allowed_addresses setting: comma-separated networks (`10.1.2.0/24, ::1`)."""
        networks: list[Network] = []
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError as exc:
                raise AddressSettingError(
                    f"allowed_addresses: {item!r} is not an IP network (use e.g. 10.1.2.0/24)"
                ) from exc
        return cls(tuple(networks))

    def refuses(self, address: Address) -> bool:
        """Whether connecting to `address` is refused."""
        if any(address in net for net in self.allowed if net.version == address.version):
            return False
        return any(_not_public(candidate) for candidate in _with_embedded(address))

    def refused_among(self, addresses: Iterable[Address]) -> Address | None:
        """The first refused address a name resolved to (one bad answer refuses the name)."""
        return next((address for address in addresses if self.refuses(address)), None)


def literal_address(host: str) -> Address | None:
    """The IP address a URL host spells, in any accepted spelling; None for a name."""
    host = host.strip("[]").rstrip(".").lower()
    try:
        return ipaddress.ip_address(host.partition("%")[0])
    except ValueError:
        return _legacy_ipv4(host)


def is_local_name(host: str) -> bool:
    """A name that means this machine or its local network, or a bare single label."""
    name = host.rstrip(".").lower()
    return name in LOCAL_NAMES or name.endswith(LOCAL_SUFFIXES) or "." not in name


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """WHATWG IPv4 parsing: 1-4 parts, each decimal, 0x-hex or 0-octal; the last fills the rest."""
    parts = host.split(".")
    if not 1 <= len(parts) <= IPV4_PARTS or not all(parts):
        return None
    numbers: list[int] = []
    for part in parts:
        number = _number(part)
        if number is None:
            return None
        numbers.append(number)
    *head, last = numbers
    if any(n > 0xFF for n in head) or last >= 1 << (8 * (IPV4_PARTS - len(head))):
        return None
    value = last
    for index, number in enumerate(head):
        value += number << (8 * (IPV4_PARTS - 1 - index))
    return ipaddress.IPv4Address(value) if value < 1 << IPV4_BITS else None


def _number(part: str) -> int | None:
    try:
        if part.startswith(("0x", "0X")):
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part.startswith("0"):
            return int(part[1:], 8)
        return int(part, 10) if part.isdigit() else None
    except ValueError:
        return None


def _with_embedded(address: Address) -> list[Address]:
    """The address and any IPv4 address carried inside an IPv6 one."""
    found: list[Address] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            found.append(address.ipv4_mapped)
        if address.sixtofour is not None:
            found.append(address.sixtofour)
        if address.teredo is not None:
            found.append(address.teredo[1])
        packed = int(address)
        if address in NAT64_PREFIX:
            found.append(ipaddress.IPv4Address(packed & (1 << IPV4_BITS) - 1))
        if packed >> IPV4_BITS == 0 and packed > 1:  # IPv4-compatible ::a.b.c.d (deprecated)
            found.append(ipaddress.IPv4Address(packed))
    return found


def _not_public(address: Address) -> bool:
    return address.is_multicast or not address.is_global
