"""Validators for what users type or paste. Each returns the cleaned value or raises
`InvalidInput` with a message that says what to do."""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from tgtui.accounts.model import Proxy


class InvalidInput(ValueError):
    """The value cannot be used; `str(exc)` tells the user what to do."""


@dataclass(frozen=True)
class Checked:
    """A cleaned value plus warnings the user should see (it is still accepted)."""

    value: object
    warnings: list[str] = field(default_factory=list)


NAME_RE = re.compile(r"^[a-z0-9_-]{1,32}$")

# api_ids of Telegram's own open-source apps, published in their source code. They work,
# but every stranger uses them too, so Telegram answers real use with API_ID_PUBLISHED_FLOOD.
PUBLIC_API_IDS: dict[int, str] = {
    4: "Telegram for Android (official)",
    5: "Telegram for iOS (official)",
    6: "Telegram for Android (old official)",
    8: "Telegram for iOS (old official)",
    2040: "Telegram Desktop (official)",
    2496: "Telegram Web (official)",
    17349: "Telegram Desktop test id",
    21724: "Telegram for Android X (official)",
}

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00a0"), " ")
_HASH_PREFIX = re.compile(r"^\s*(app\s*)?api[\s_-]*hash\s*[:=]?\s*", re.IGNORECASE)
_ID_PREFIX = re.compile(r"^\s*(app\s*)?api[\s_-]*id\s*[:=]?\s*", re.IGNORECASE)


def _clean_paste(text: str) -> str:
    """Normalise what a browser copy usually carries: invisible spaces, quotes, NBSP."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE)
    return text.strip().strip("'\"`“”‘’").strip()


def account_name(raw: str, existing: set[str] | frozenset[str] = frozenset()) -> str:
    """A folder-safe unique account name: 1–32 of a-z, 0-9, _ and -."""
    name = _clean_paste(raw)
    if not name:
        raise InvalidInput("Give the account a name, e.g. work or shop-bot (a-z, 0-9, _ and -).")
    if name != name.lower() and NAME_RE.match(name.lower()):
        raise InvalidInput(f"Use lower case: {name.lower()!r}.")
    if len(name) > 32:
        raise InvalidInput(f"Use at most 32 characters (this one has {len(name)}).")
    if not NAME_RE.match(name):
        bad = sorted({c for c in name if not re.match(r"[a-z0-9_-]", c)})
        shown = " ".join(repr(c) for c in bad[:5])
        raise InvalidInput(f"Use only a-z, 0-9, _ and - (not {shown}).")
    if name in existing:
        raise InvalidInput(f"An account named {name!r} exists already; pick another name.")
    return name


def suggest_name(seed: str, existing: set[str] | frozenset[str] = frozenset()) -> str:
    """Derive a free account name from a label or phone number."""
    base = re.sub(r"[^a-z0-9_-]+", "-", _clean_paste(seed).lower()).strip("-_")
    if base.startswith("+") or (base and base[0].isdigit()):
        base = "tg-" + base.lstrip("+")
    base = (base or "account")[:28]
    candidate, n = base, 2
    while candidate in existing:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def api_id(raw: str | int) -> Checked:
    """api_id: digits only after trimming; positive; fits 32 bits. Warns on public ids."""
    text = _ID_PREFIX.sub("", _clean_paste(str(raw))).strip()
    if not text:
        raise InvalidInput("Paste the api_id: the number shown as 'App api_id' on my.telegram.org.")
    if re.fullmatch(r"[0-9a-fA-F]{32}", text):
        raise InvalidInput("That looks like the api_hash; the api_id is the short number above it.")
    if ":" in text and re.fullmatch(r"\d+:[\w-]{30,}", text):
        raise InvalidInput(
            "That is a bot token from BotFather; tgtui needs the api_id of my.telegram.org."
        )
    if not text.isdigit():
        raise InvalidInput("The api_id is digits only, e.g. 1234567.")
    value = int(text)
    if value <= 0:
        raise InvalidInput("The api_id is a positive number; copy it again from my.telegram.org.")
    if value > 2**31 - 1:
        raise InvalidInput(
            "That number is too long for an api_id; copy it again from my.telegram.org."
        )
    warnings = []
    if value in PUBLIC_API_IDS:
        warnings.append(
            f"{value} is the public id of {PUBLIC_API_IDS[value]}: it is shared by everyone, "
            "rate-limited, and real use ends in API_ID_PUBLISHED_FLOOD. Create your own "
            "application on my.telegram.org."
        )
    return Checked(value, warnings)


def api_hash(raw: str) -> str:
    """api_hash: exactly 32 hex characters after cleaning; returned lower-cased."""
    text = _HASH_PREFIX.sub("", _clean_paste(raw))
    text = re.sub(r"\s+", "", _clean_paste(text))
    if not text:
        raise InvalidInput("Paste the api_hash: the 32-character code shown as 'App api_hash'.")
    if re.fullmatch(r"\d+:[\w-]{30,}", text):
        raise InvalidInput(
            "That is a bot token from BotFather, not an api_hash; use my.telegram.org."
        )
    if text.isdigit() and len(text) < 16:
        raise InvalidInput("That looks like the api_id; the api_hash is the 32-character code.")
    if not re.fullmatch(r"[0-9a-fA-F]+", text):
        raise InvalidInput("The api_hash has only 0-9 and a-f; copy it again from my.telegram.org.")
    if len(text) != 32:
        raise InvalidInput(f"The api_hash has 32 characters; this has {len(text)}. Copy it whole.")
    return text.lower()


def phone(raw: str, *, strict: bool = True) -> str:
    """A phone number in E.164 (`+34612345678`), parsed with its country code.

    `strict=False` (Telegram's test DCs or a custom server) accepts any 5 to 17 digits,
    Telegram's test numbers 99966XYYYY included: that server decides what exists.
    """
    text = _clean_paste(raw)
    if not text:
        raise InvalidInput("Type the phone number with its country code, e.g. +44 7700 900123.")
    compact = re.sub(r"[\s().-]", "", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not strict:
        digits = compact.removeprefix("+")
        if not re.fullmatch(r"\d{5,17}", digits):
            raise InvalidInput(
                "A phone number has only digits (5 to 17), e.g. 9996621234 on Telegram's "
                "test servers."
            )
        return "+" + digits
    if not compact.startswith("+"):
        raise InvalidInput("Add your country code, e.g. +44 7700 900123 or +1 555 123 4567.")
    if not re.fullmatch(r"\+\d{4,17}", compact):
        raise InvalidInput("A phone number has only digits after the +, e.g. +34 612 345 678.")
    import phonenumbers  # loaded on first use: it costs ~25 ms at start-up

    try:
        parsed = phonenumbers.parse(compact, None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput("Check the country code: it is not one that exists.") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidInput("That number has too few or too many digits for its country.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@functools.lru_cache(maxsize=4096)
def mask_phone(e164: str) -> str:
    """`+1 555 ••• 67`: country code and a few digits, the rest hidden."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(e164, None)
        national = str(parsed.national_number)
        cc = f"+{parsed.country_code}"
    except phonenumbers.NumberParseException:  # e.g. a test-DC number, 99966XYYYY
        digits = re.sub(r"\D", "", e164)
        if len(digits) <= 4:
            return f"+{'•' * len(digits)}"
        return f"+{digits[:3]} ••• {digits[-2:]}"
    if len(national) <= 4:
        return f"{cc} {'•' * len(national)}"
    return f"{cc} {national[:3]} ••• {national[-2:]}"


# ---------------------------------------------------------------------- servers and proxies
_HOST_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$")


def host(raw: str, what: str = "server") -> str:
    """A host name, IPv4 or IPv6 address (no scheme, no port)."""
    import ipaddress

    text = _clean_paste(raw).strip("[]")
    if not text:
        raise InvalidInput(f"Type the {what}'s host name or IP address, e.g. 127.0.0.1.")
    if "://" in text or "/" in text or "@" in text or re.search(r"\s", text):
        raise InvalidInput(
            f"Type only the {what}'s host (e.g. mtproto.example.com), without ://, / or @."
        )
    try:
        return ipaddress.ip_address(text).compressed
    except ValueError:
        pass
    if re.fullmatch(r"[\d.]+", text):
        raise InvalidInput(f"{text} is not an IPv4 address (four numbers 0-255 with dots).")
    if len(text) > 253 or not _HOST_RE.match(text):
        raise InvalidInput(
            f"{text!r} is not a host name: use letters, digits, - and dots, e.g. tg.example.com."
        )
    return text.rstrip(".").lower()


def port(raw: str | int, what: str = "server") -> int:
    """A TCP port, 1-65535."""
    text = _clean_paste(str(raw))
    if not text.isdigit():
        raise InvalidInput(f"The {what}'s port is a number, e.g. 443.")
    number = int(text)
    if not 1 <= number <= 65535:
        raise InvalidInput(f"The {what}'s port is between 1 and 65535 (not {number}).")
    return number


def server_address(raw: str) -> tuple[str, int]:
    """`HOST:PORT` (IPv6 as `[::1]:443`) -> (host, port)."""
    text = _clean_paste(raw)
    if not text:
        raise InvalidInput("Type the server as HOST:PORT, e.g. 127.0.0.1:8443.")
    if "://" in text:
        raise InvalidInput(
            "Type the server as HOST:PORT without a scheme, e.g. 203.0.113.5:443 "
            "(a proxy goes in --proxy)."
        )
    bracketed = re.fullmatch(r"\[([^\]]+)\]:(.*)", text)
    if bracketed:
        name, number = bracketed.group(1), bracketed.group(2)
    elif text.count(":") == 1:
        name, number = text.split(":")
    elif text.count(":") > 1:
        raise InvalidInput("Write an IPv6 server in brackets with its port, e.g. [::1]:8443.")
    else:
        raise InvalidInput(f"Add the port: {text}:443 (HOST:PORT).")
    return host(name), port(number)


def dc_id(raw: str | int) -> int:
    """A data-centre id, 1-1000 (Telegram's are 1-5; test DCs 1-3)."""
    text = _clean_paste(str(raw))
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise InvalidInput(
            "The DC id is a small positive number, e.g. 2 (the server's documentation "
            "says which; Telegram's test servers use 1, 2 or 3)."
        )
    return int(text)


def rsa_public_key_file(path: str | os.PathLike[str]) -> str:
    """A readable PEM RSA public key (PKCS#1 or SubjectPublicKeyInfo); returns its full path."""
    import rsa

    target = Path(os.path.expanduser(str(path))).resolve()
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"{target} does not exist; give the server's public key file.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{target} is a folder; give the public key file inside it.") from None
    except OSError as exc:
        raise InvalidInput(f"{target} cannot be read ({exc.strerror or exc}).") from None
    if b"PRIVATE KEY" in data:
        raise InvalidInput(
            f"{target} holds a PRIVATE key; give the server's public key (keep the private "
            "one on the server)."
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
            f"{target} is not an RSA public key in PEM form: it should start with "
            "-----BEGIN RSA PUBLIC KEY----- or -----BEGIN PUBLIC KEY-----."
        ) from None
    return str(target)


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
        raise InvalidInput("An MTProxy needs its secret (the 'secret=' part of its tg:// link).")
    lowered = text.lower()
    if lowered.startswith("ee") and re.fullmatch(r"[0-9a-f]+", lowered) and len(lowered) > 34:
        raise InvalidInput(
            "This is a fake-TLS secret (starts with ee); Telethon cannot use those. "
            "Ask the proxy owner for a secret that starts with dd, or a plain one."
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
        "An MTProxy secret is 32 hex characters (optionally starting with dd); copy it again."
    )


def proxy_fields(
    kind: str, host_text: str, port_text: int | str, secret: str = "", username: str = ""
) -> ProxySpec:
    """A proxy from separate fields; the secret is checked (MTProxy) and kept apart."""
    kind = (kind or "").strip().lower()
    kind = _KIND_ALIASES.get(kind, kind)
    if kind not in PROXY_KINDS:
        raise InvalidInput("Pick a proxy type: socks5, http or mtproxy.")
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
    example = (
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
                raise InvalidInput("This proxy link has no server= or port= part; copy it whole.")
            given = query.get("secret", "") if secret is None else secret
            return proxy_fields("mtproxy", query["server"], query["port"], given)
        kind = _KIND_ALIASES.get(scheme, scheme)
        if kind not in PROXY_KINDS:
            raise InvalidInput(f"{scheme}:// is not a proxy type tgtui knows. {example}")
        name, number = parts.hostname, parts.port
    except InvalidInput:
        raise
    except ValueError:  # urlsplit: a port that is not a number or out of range
        raise InvalidInput(
            "The proxy's port is a number from 1 to 65535, e.g. socks5://host:1080."
        ) from None
    if not name:
        raise InvalidInput(example)
    if number is None:
        raise InvalidInput(f"Add the proxy's port, e.g. {scheme}://{name}:1080.")
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
