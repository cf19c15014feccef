"""The address of the client behind a request: what every throttle counts by.

Behind a reverse proxy, `REMOTE_ADDR` is the proxy's address, the same for every client, so a
throttle keyed on it would lump everyone together (and one attacker could lock everyone out).
The proxy says who its client was in `X-Forwarded-For`, but anyone can send that header, so it is
believed only from the proxies the operator names in `KWAMDEE_TRUSTED_PROXIES`
(`settings.TRUSTED_PROXIES`: addresses or networks). By default none is trusted: `REMOTE_ADDR`.

The walk is nginx's `real_ip_recursive`: starting from the peer, while the address in hand is a
trusted proxy, step one hop left in `X-Forwarded-For`; the first address that is not a trusted
proxy is the client. Whatever a client wrote further left is never read."""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# An IPv6 subscriber is given a whole /64 and picks addresses in it at will; a throttle counts the
# /64, as it counts one IPv4 address.
IPV6_THROTTLE_PREFIX = 64


@lru_cache(maxsize=8)
def _networks(specs: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(spec, strict=False) for spec in specs)


def _address(text: str) -> IPAddress | None:
    """An address as a proxy writes it ("203.0.113.7", "203.0.113.7:5123", "[2001:db8::1]:443"),
    IPv4-mapped IPv6 read as IPv4; None when it is not an address."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4 with a port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: `REMOTE_ADDR`, or, when that is a trusted proxy, the nearest
    address in `X-Forwarded-For` that is not one. None only when the server gave no address."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    client = peer
    if networks and _trusted(peer, networks):
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:  # a malformed hop: the last trusted proxy is all that is known
                break
            client = address
            if not _trusted(address, networks):
                break
    return str(client)


def client_throttle_key(request: HttpRequest) -> str | None:
    """What throttles count by (django-axes' `AXES_CLIENT_IP_CALLABLE`): the client's address,
    an IPv6 one as its /64 (written as the network's first address, still a valid address)."""
    text = client_address(request)
    if text is None:
        return None
    address = ipaddress.ip_address(text)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, IPV6_THROTTLE_PREFIX), strict=False).network_address)
    return text
