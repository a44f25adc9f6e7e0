"""`--server HOST:PORT --dc N --rsa-key FILE`, `--test-dc` and `--proxy URL`, shared by
`add` and `import`. Each value is checked where it is typed, with a message saying what
to do; a proxy's password or MTProxy secret goes to the secret store, never the TOML."""

from __future__ import annotations

import argparse
import os
import sys

from tgtui.accounts import InvalidInput, Server, validate
from tgtui.accounts import servers as known
from tgtui.accounts.validate import ProxySpec
from tgtui.commands.exits import UsageError
from tgtui.i18n import _


def add_options(p: argparse.ArgumentParser) -> None:
    """Add the server and proxy options to a sub-command's parser."""
    g = p.add_argument_group(_("server and proxy (default: Telegram's production servers)"))
    g.add_argument(
        "--server",
        metavar="HOST:PORT",
        help=_(
            "a self-hosted MTProto server (IPv6: [::1]:443); with --test-dc, another "
            "address of Telegram's test DC (e.g. 149.154.167.40:80)"
        ),
    )
    g.add_argument("--dc", metavar="N", help=_("the server's DC id (default 2)"))
    g.add_argument(
        "--rsa-key",
        metavar="FILE",
        help=_("the server's RSA public key, PEM (BEGIN RSA PUBLIC KEY or BEGIN PUBLIC KEY)"),
    )
    g.add_argument(
        "--test-dc",
        action="store_true",
        help=_(
            "use Telegram's test servers (published address and key; phone numbers "
            "99966XYYYY, code = the DC digit five times)"
        ),
    )
    g.add_argument(
        "--proxy",
        metavar="URL",
        help=_(
            "socks5://user:pass@host:port, http://host:port, mtproxy://SECRET@host:port "
            "or a tg://proxy?server=… link (a password here is visible in `ps`: prefer "
            "--proxy-secret-env)"
        ),
    )
    g.add_argument(
        "--proxy-secret-env",
        metavar="VAR",
        help=_("read the proxy's password or MTProxy secret from this environment variable"),
    )


def server_from_args(args: argparse.Namespace) -> Server | None:
    """The Server the options describe, None for none; UsageError saying what to fix."""
    text = getattr(args, "server", None) or ""
    dc_text = getattr(args, "dc", None) or ""
    key_text = getattr(args, "rsa_key", None) or ""
    test = bool(getattr(args, "test_dc", False))
    if not (text or test) and (dc_text or key_text):
        raise UsageError(_("--dc and --rsa-key go with --server HOST:PORT (or --test-dc)."))
    if test and key_text:
        raise UsageError(
            _("--test-dc uses Telegram's published test key; --rsa-key is for self-hosted servers.")
        )
    try:
        return validate.server_settings(text, dc_text, key_text, test=test)
    except InvalidInput as exc:
        raise UsageError(str(exc)) from None


def proxy_from_args(args: argparse.Namespace) -> ProxySpec | None:
    """The proxy of `--proxy URL` (its secret from the URL or `--proxy-secret-env`)."""
    text = getattr(args, "proxy", None)
    var = getattr(args, "proxy_secret_env", None)
    if not text:
        if var:
            raise UsageError(_("--proxy-secret-env goes with --proxy URL."))
        return None
    secret: str | None = None
    if var:
        secret = os.environ.get(var, "").strip()
        if not secret:
            raise UsageError(
                _("${var} is not set or empty; export the proxy's secret in it.").format(var=var)
            )
    try:
        spec = validate.proxy_url(text, secret)
    except InvalidInput as exc:
        raise UsageError(_("--proxy: {error}").format(error=exc)) from None
    if spec is None:
        return None
    if spec.secret and not var:
        print(
            _(
                "tgtui: the proxy's secret was given on the command line, where other users "
                "can see it (ps, shell history); next time use --proxy-secret-env VAR."
            ),
            file=sys.stderr,
        )
    return spec


def describe_server(server: Server | None) -> str:
    """One line for messages: "Telegram's test DC 2 (149.154.167.40:443)"."""
    if server is None:
        return "Telegram"
    return f"{known.describe(server)} ({known.address(server)})"
