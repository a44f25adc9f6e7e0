"""Validators for servers and proxies: what a person types to point an account elsewhere.

Each returns the cleaned value or raises `InvalidInput` with a message that says what to
do. Re-exported by `tgtui.accounts.validate`, where callers find them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tgtui.accounts.model import Proxy, Server
from tgtui.accounts.validate import InvalidInput, _clean_paste
from tgtui.i18n import N_, _

# Sentences that name what the host or port belongs to: the server or the proxy.
_ABOUT: dict[str, dict[str, str]] = {
    "server": {
        "empty": N_("Type the server's host name or IP address, e.g. 127.0.0.1."),
        "only": N_("Type only the server's host (e.g. mtproto.example.com), without ://, / or @."),
        "digits": N_("The server's port is a number, e.g. 443."),
        "range": N_("The server's port is between 1 and 65535 (not {number})."),
    },
    "proxy": {
        "empty": N_("Type the proxy's host name or IP address, e.g. 127.0.0.1."),
        "only": N_("Type only the proxy's host (e.g. mtproto.example.com), without ://, / or @."),
        "digits": N_("The proxy's port is a number, e.g. 443."),
        "range": N_("The proxy's port is between 1 and 65535 (not {number})."),
    },
}


def _about(what: str, key: str) -> str:
    return _(_ABOUT.get(what, _ABOUT["server"])[key])


_HOST_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$")


def host(raw: str, what: str = "server") -> str:
    """A host name, IPv4 or IPv6 address (no scheme, no port)."""
    import ipaddress

    text = _clean_paste(raw).strip("[]")
    if not text:
        raise InvalidInput(_about(what, "empty"))
    if "://" in text or "/" in text or "@" in text or re.search(r"\s", text):
        raise InvalidInput(_about(what, "only"))
    try:
        return ipaddress.ip_address(text).compressed
    except ValueError:
        pass
    if re.fullmatch(r"[\d.]+", text):
        raise InvalidInput(
            _("{text} is not an IPv4 address (four numbers 0-255 with dots).").format(text=text)
        )
    if len(text) > 253 or not _HOST_RE.match(text):
        raise InvalidInput(
            _(
                "{text} is not a host name: use letters, digits, - and dots, e.g. tg.example.com."
            ).format(text=repr(text))
        )
    return text.rstrip(".").lower()


def port(raw: str | int, what: str = "server") -> int:
    """A TCP port, 1-65535."""
    text = _clean_paste(str(raw))
    if not text.isdigit():
        raise InvalidInput(_about(what, "digits"))
    number = int(text)
    if not 1 <= number <= 65535:
        raise InvalidInput(_about(what, "range").format(number=number))
    return number


def server_address(raw: str) -> tuple[str, int]:
    """`HOST:PORT` (IPv6 as `[::1]:443`) -> (host, port)."""
    text = _clean_paste(raw)
    if not text:
        raise InvalidInput(_("Type the server as HOST:PORT, e.g. 127.0.0.1:8443."))
    if "://" in text:
        raise InvalidInput(
            _(
                "Type the server as HOST:PORT without a scheme, e.g. 203.0.113.5:443 "
                "(a proxy goes in --proxy)."
            )
        )
    bracketed = re.fullmatch(r"\[([^\]]+)\]:(.*)", text)
    if bracketed:
        name, number = bracketed.group(1), bracketed.group(2)
    elif text.count(":") == 1:
        name, number = text.split(":")
    elif text.count(":") > 1:
        raise InvalidInput(_("Write an IPv6 server in brackets with its port, e.g. [::1]:8443."))
    else:
        raise InvalidInput(_("Add the port: {text}:443 (HOST:PORT).").format(text=text))
    return host(name), port(number)


def dc_id(raw: str | int) -> int:
    """A data-centre id, 1-1000 (Telegram's are 1-5; test DCs 1-3)."""
    text = _clean_paste(str(raw))
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise InvalidInput(
            _(
                "The DC id is a small positive number, e.g. 2 (the server's documentation "
                "says which; Telegram's test servers use 1, 2 or 3)."
            )
        )
    return int(text)


def rsa_public_key_file(path: str | os.PathLike[str]) -> str:
    """A readable PEM RSA public key (PKCS#1 or SubjectPublicKeyInfo); returns its full path."""
    import rsa

    target = Path(os.path.expanduser(str(path))).resolve()
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(
            _("{path} does not exist; give the server's public key file.").format(path=target)
        ) from None
    except IsADirectoryError:
        raise InvalidInput(
            _("{path} is a folder; give the public key file inside it.").format(path=target)
        ) from None
    except OSError as exc:
        raise InvalidInput(
            _("{path} cannot be read ({detail}).").format(path=target, detail=exc.strerror or exc)
        ) from None
    if b"PRIVATE KEY" in data:
        raise InvalidInput(
            _(
                "{path} holds a PRIVATE key; give the server's public key (keep the private "
                "one on the server)."
            ).format(path=target)
        )
    try:
        if b"BEGIN RSA PUBLIC KEY" in data:
            rsa.PublicKey.load_pkcs1(data)
        elif b"BEGIN PUBLIC KEY" in data:
            rsa.PublicKey.load_pkcs1_openssl_pem(data)
        else:
            raise ValueError("no PEM header")
    except Exception:
        raise InvalidInput(
            _(
                "{path} is not an RSA public key in PEM form: it should start with "
                "-----BEGIN RSA PUBLIC KEY----- or -----BEGIN PUBLIC KEY-----."
            ).format(path=target)
        ) from None
    return str(target)


def server_settings(
    address: str = "", dc: str | int = "", rsa_key: str = "", *, test: bool = False
) -> Server | None:
    """The account's server from what was typed; None for Telegram's production servers.

    `address` is HOST:PORT (for `test`, optional: another address of the test DC), `dc`
    defaults to 2, `rsa_key` is a PEM public key file (not with `test`, which uses the
    key Telegram publishes). Raises InvalidInput naming the field to fix.
    """
    from tgtui.accounts import servers

    address, rsa_key = (address or "").strip(), (rsa_key or "").strip()
    dc_text = str(dc).strip() if dc is not None else ""
    if not (address or test):
        if dc_text or rsa_key:
            raise InvalidInput(_("A DC id or RSA key goes with a server address (HOST:PORT)."))
        return None
    number = dc_id(dc_text) if dc_text else servers.DEFAULT_TEST_DC
    name, where = server_address(address) if address else ("", 0)
    if test:
        if rsa_key:
            raise InvalidInput(
                _(
                    "Telegram's test servers use their published key; an RSA key file is for "
                    "self-hosted servers."
                )
            )
        if number not in servers.TEST_DCS:
            raise InvalidInput(
                _("Telegram's test servers are DCs 1, 2 and 3 (not {number}).").format(
                    number=number
                )
            )
        return servers.test_server(number, name, where)
    key = rsa_public_key_file(rsa_key) if rsa_key else ""
    return Server(dc_id=number, host=name, port=where, rsa_key_file=key)


PROXY_KINDS = ("socks5", "http", "mtproxy")
_KIND_ALIASES = {
    "socks": "socks5",
    "socks5h": "socks5",
    "https": "http",
    "mtproto": "mtproxy",
    "mtp": "mtproxy",
    "tg": "mtproxy",
}


@dataclass(frozen=True)
class ProxySpec:
    """A parsed proxy: the public `Proxy` and its secret (password or MTProxy secret)."""

    proxy: Proxy
    secret: str = field(default="", repr=False)


def mtproxy_secret(secret: str) -> str:
    """Check an MTProxy secret and return it cleaned; raise InvalidInput otherwise."""
    import base64

    text = re.sub(r"\s+", "", secret or "")
    if not text:
        raise InvalidInput(_("An MTProxy needs its secret (the 'secret=' part of its tg:// link)."))
    lowered = text.lower()
    if lowered.startswith("ee") and re.fullmatch(r"[0-9a-f]+", lowered) and len(lowered) > 34:
        raise InvalidInput(
            _(
                "This is a fake-TLS secret (starts with ee); Telethon cannot use those. "
                "Ask the proxy owner for a secret that starts with dd, or a plain one."
            )
        )
    if re.fullmatch(r"(dd)?[0-9a-fA-F]{32}", text):
        return lowered
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raw = b""
    if len(raw) >= 16 and raw[:1] != b"\xee":
        return text
    raise InvalidInput(
        _("An MTProxy secret is 32 hex characters (optionally starting with dd); copy it again.")
    )


def proxy_fields(
    kind: str, host_text: str, port_text: int | str, secret: str = "", username: str = ""
) -> ProxySpec:
    """A proxy from separate fields; the secret is checked (MTProxy) and kept apart."""
    kind = (kind or "").strip().lower()
    kind = _KIND_ALIASES.get(kind, kind)
    if kind not in PROXY_KINDS:
        raise InvalidInput(_("Pick a proxy type: socks5, http or mtproxy."))
    name = host(host_text, "proxy")
    number = port(port_text, "proxy")
    if kind == "mtproxy":
        secret = mtproxy_secret(secret)
    ref = "proxy" if secret else ""
    user = (username or "").strip() if kind != "mtproxy" else ""
    return ProxySpec(Proxy(kind, name, number, username=user, secret_ref=ref), secret or "")


def proxy_url(text: str, secret: str | None = None) -> ProxySpec | None:
    """Parse a proxy written as a URL; None for an empty text (no proxy).

    Accepts socks5://[user[:password]@]host:port, http://..., mtproxy://secret@host:port,
    and MTProxy links: tg://proxy?server=H&port=P&secret=S (or https://t.me/proxy?...).
    `secret`, when given, replaces the password / secret of the URL (typed apart).
    """
    from urllib.parse import parse_qs, unquote, urlsplit

    raw = _clean_paste(text or "")
    if not raw:
        return None
    example = _(
        "Write the proxy as socks5://host:1080, socks5://user:pass@host:1080, "
        "http://host:8080, mtproxy://SECRET@host:443 or a tg://proxy?server=… link."
    )
    if "://" not in raw:
        raise InvalidInput(example)
    try:
        parts = urlsplit(raw)
        scheme = parts.scheme.lower()
        if scheme in ("tg", "https", "http") and (
            parts.netloc.lower() in ("proxy", "t.me", "telegram.me") and "server=" in parts.query
        ):
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if not query.get("server") or not query.get("port"):
                raise InvalidInput(
                    _("This proxy link has no server= or port= part; copy it whole.")
                )
            given = query.get("secret", "") if secret is None else secret
            return proxy_fields("mtproxy", query["server"], query["port"], given)
        kind = _KIND_ALIASES.get(scheme, scheme)
        if kind not in PROXY_KINDS:
            raise InvalidInput(
                _("{scheme}:// is not a proxy type tgtui knows. {example}").format(
                    scheme=scheme, example=example
                )
            )
        name, number = parts.hostname, parts.port
    except InvalidInput:
        raise
    except ValueError:  # urlsplit: a port that is not a number or out of range
        raise InvalidInput(
            _("The proxy's port is a number from 1 to 65535, e.g. socks5://host:1080.")
        ) from None
    if not name:
        raise InvalidInput(example)
    if number is None:
        raise InvalidInput(
            _("Add the proxy's port, e.g. {scheme}://{host}:1080.").format(scheme=scheme, host=name)
        )
    user = unquote(parts.username or "")
    password = unquote(parts.password or "")
    if kind == "mtproxy":
        in_url = password or user  # mtproxy://SECRET@host:port (or :SECRET@)
        return proxy_fields(kind, name, number, in_url if secret is None else secret)
    return proxy_fields(kind, name, number, password if secret is None else secret, user)


def proxy_text(proxy: Proxy | None) -> str:
    """The proxy as a URL `proxy_url` accepts back (without its secret)."""
    if proxy is None:
        return ""
    user = f"{proxy.username}@" if proxy.username and proxy.kind != "mtproxy" else ""
    shown = f"[{proxy.host}]" if ":" in proxy.host else proxy.host
    return f"{proxy.kind}://{user}{shown}:{proxy.port}"
