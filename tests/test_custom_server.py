"""Custom servers, Telegram's test DCs and proxies, from `tgtui add` / `import` to `status`.

Logins run against the simulated Telegram (which answers whatever address a session
holds), so these tests look at what tgtui stores and where each session points. Where
an address must really be dialled, a real Telethon client meets a TCP listener (or a
closed port) that the test opens on 127.0.0.1.
"""

from __future__ import annotations

import base64
import os
import socket
import struct
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import API_HASH, API_ID, PHONE, Clock, make_sim, make_tg, tg_with_accounts

from tgtui.accounts import Account, Server, servers
from tgtui.cli import main
from tgtui.commands import prompts
from tgtui.commands.common import override_telegram
from tgtui.telegram import importers

TEST_PHONE = "+9996621234"


@pytest.fixture
def sim():
    server = make_sim(seed=5)
    server.add_user(TEST_PHONE, "Tess", "", "tess")
    return server


@pytest.fixture
def tg(tmp_path: Path, sim, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("H", API_HASH)
    with override_telegram(tg_with_accounts(tmp_path / "cfg", sim)) as tg:
        yield tg


def _add(answers: list, *args: str) -> tuple[int, prompts.Scripted]:
    scripted = prompts.Scripted(answers)
    with prompts.use(scripted):
        return main(["add", *args]), scripted


def _pem(path: Path) -> Path:
    import rsa

    pub, _ = rsa.newkeys(512)
    path.write_bytes(pub.save_pkcs1())
    return path


def _session_address(path: Path) -> tuple[int, str, int]:
    data = importers.read_telethon_file(path)
    return data.dc_id, data.server_address, data.port


CREDS = ("--api-id", str(API_ID), "--api-hash-env", "H")


# ---------------------------------------------------------------- item 1: setting a server
def test_add_with_a_custom_server_and_key(tg, sim, tmp_path: Path, capsys) -> None:
    key = _pem(tmp_path / "server.pem")
    code, p = _add(
        [lambda q: sim.last_code(TEST_PHONE)],
        "lab",
        *CREDS,
        "--phone",
        "9996621234",  # a test number: accepted because a server is set (item 2)
        "--server",
        "127.0.0.1:8443",
        "--dc",
        "2",
        "--rsa-key",
        str(key),
    )
    assert code == 0, p.said
    assert "Server: the server (127.0.0.1:8443)" in p.said
    account = tg.store.get("lab")
    assert account.server == Server(2, "127.0.0.1", 8443, str(key.resolve()))
    assert account.phone == TEST_PHONE and account.user.username == "tess"
    text = (account.folder / "account.toml").read_text()
    assert "[server]" in text and 'host = "127.0.0.1"' in text and "port = 8443" in text
    # the session the scripts get points at the server, not at Telegram
    assert _session_address(account.session_path) == (2, "127.0.0.1", 8443)


def test_add_with_test_dc_uses_the_published_address(tg, sim, capsys) -> None:
    code, p = _add([TEST_PHONE, lambda q: sim.last_code(TEST_PHONE)], "qa", *CREDS, "--test-dc")
    assert code == 0, p.said
    assert "Phone number (test numbers: 999662YYYY): " in p.asked
    account = tg.store.get("qa")
    assert account.server == Server(2, "149.154.167.40", 443, "", test=True)
    assert "Server: Telegram's test DC 2 (149.154.167.40:443)" in p.said
    assert _session_address(account.session_path) == (2, "149.154.167.40", 443)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--server", "127.0.0.1"], "Add the port: 127.0.0.1:443"),
        (["--server", "127.0.0.1:99999"], "between 1 and 65535"),
        (["--server", "127.0.0.1:8443", "--rsa-key", "/nonexistent/k.pem"], "does not exist"),
        (["--server", "127.0.0.1:8443", "--dc", "zero"], "DC id is a small positive number"),
        (["--dc", "2"], "go with --server"),
        (["--test-dc", "--dc", "7"], "DCs 1, 2 and 3"),
        (["--test-dc", "--rsa-key", "k.pem"], "published test key"),
        (["--proxy", "socks5://proxy.example.com"], "Add the proxy's port"),
        (["--proxy", "mtproxy://mt.example.com:443"], "needs its secret"),
    ],
)
def test_bad_server_options_are_refused_before_any_prompt(
    tg, capsys, extra: list[str], words: str
) -> None:
    code, p = _add([], "lab", *CREDS, *extra)
    err = capsys.readouterr().err
    assert code == 2 and words in err and err.count("\n") == 1
    assert p.asked == [] and tg.store.names() == []


# ---------------------------------------------------------------- item 2: test numbers
async def test_test_numbers_pass_with_a_server_and_are_refused_on_production(tg, sim) -> None:
    from tgtui.telegram.errors import TelegramFailure
    from tgtui.telegram.flow import LoginFlow, Step

    production = LoginFlow(tg, name="prod")
    await production.set_credentials(API_ID, API_HASH)
    with pytest.raises(TelegramFailure) as err:
        await production.send_code("+9996612345")
    assert err.value.failure.name == "PHONE_NUMBER_INVALID"
    assert "country code" in err.value.failure.message
    await production.cancel()

    test = LoginFlow(tg, name="test", server=servers.test_server(2))
    await test.set_credentials(API_ID, API_HASH)
    await test.send_code("9996621234")  # no country code: the test server decides
    assert test.step is Step.CODE
    await test.cancel()


# ---------------------------------------------------------------- proxies (#16 item 1)
def test_proxy_password_goes_to_the_secret_store_not_the_toml(tg, sim, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PX", "s3cret-pw")
    code, p = _add(
        [lambda q: sim.last_code(PHONE)],
        "work",
        *CREDS,
        "--phone",
        PHONE,
        "--proxy",
        "socks5://bob@127.0.0.1:1080",
        "--proxy-secret-env",
        "PX",
    )
    assert code == 0, p.said
    account = tg.store.get("work")
    assert account.proxy is not None
    assert (account.proxy.kind, account.proxy.host, account.proxy.port) == (
        "socks5",
        "127.0.0.1",
        1080,
    )
    assert account.proxy.username == "bob" and account.proxy.secret_ref == "proxy"
    assert "s3cret-pw" not in (account.folder / "account.toml").read_text()
    secrets_file = account.folder / "secrets.toml"  # TGTUI_KEYRING=off in the tests
    assert (secrets_file.stat().st_mode & 0o777) == 0o600
    assert tg.store.proxy_secret(account) == "s3cret-pw"
    assert tg.store.api_hash(account) == API_HASH  # both secrets live side by side
    out, err = capsys.readouterr()
    assert "s3cret-pw" not in out + err + "".join(p.said)


def test_mtproxy_link_secret_is_stored_and_the_argv_exposure_is_named(tg, sim, capsys) -> None:
    secret = "dd" + "ab" * 16
    link = f"tg://proxy?server=127.0.0.1&port=8888&secret={secret}"
    code, p = _add(
        [lambda q: sim.last_code(PHONE)], "mt", *CREDS, "--phone", PHONE, "--proxy", link
    )
    assert code == 0, p.said
    account = tg.store.get("mt")
    assert account.proxy.kind == "mtproxy" and account.proxy.port == 8888
    assert tg.store.proxy_secret(account) == secret
    assert secret not in (account.folder / "account.toml").read_text()
    err = capsys.readouterr().err
    assert "--proxy-secret-env" in err and secret not in err


# ---------------------------------------------------------------- item 3: the server wins
def _seeded(tg, sim, tmp_path: Path, name: str = "ann", server: Server | None = None) -> Account:
    seed = tmp_path / f"{name}-seed.session"
    sim.authorize_session(seed, PHONE, API_ID)  # a logged-in session at a production address
    return tg.store.create(
        Account(name=name, api_id=API_ID, phone=PHONE, server=server), API_HASH, session_file=seed
    )


async def test_make_client_points_a_logged_in_session_at_the_server(tg, sim, tmp_path) -> None:
    from tgtui.telegram.client import disconnect_quietly, make_client

    account = _seeded(tg, sim, tmp_path)
    assert _session_address(account.session_path)[1] == "149.154.167.51"
    moved = tg.store.update(replace(account, server=Server(2, "127.0.0.1", 8443)))
    key = importers.read_telethon_file(account.session_path).auth_key
    # the health check's in-memory copy, and the file other commands use
    checker = make_client(tg, moved, API_HASH, in_memory=True)
    assert (checker.session.server_address, checker.session.port) == ("127.0.0.1", 8443)
    assert checker.session.auth_key.key == key  # the login is kept
    user = make_client(tg, moved, API_HASH)
    assert (user.session.server_address, user.session.port) == ("127.0.0.1", 8443)
    await disconnect_quietly(user)
    assert _session_address(account.session_path) == (2, "127.0.0.1", 8443)
    assert importers.read_telethon_file(account.session_path).auth_key == key


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def _real_config(root: Path, server: Server) -> Account:
    """A config on disk whose one account has a production session but a [server]."""
    from tgtui.accounts import AccountStore
    from tgtui.accounts.secrets import SecretStore
    from tgtui.config import prepare

    store = AccountStore(prepare(root), SecretStore(mode="off"))
    seed = root.parent / "seed.session"
    importers.write_telethon_file(
        importers.SessionData(2, "149.154.167.51", 443, os.urandom(256)), seed
    )
    return store.create(
        Account(name="lab", api_id=API_ID, phone=PHONE, server=server), API_HASH, seed
    )


def test_status_dials_the_server_and_says_what_happened(tmp_path: Path) -> None:
    """Real Telethon, real terminal streams: a refused port is named, Telethon stays quiet."""
    port = _closed_port()
    root = tmp_path / "cfg"
    _real_config(root, Server(2, "127.0.0.1", port))
    logs = tmp_path / "logs"
    env = {**os.environ, "TGTUI_KEYRING": "off", "TGTUI_LOG_DIR": str(logs)}
    run = subprocess.run(
        [sys.executable, "-m", "tgtui", "--config-dir", str(root), "status"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"Could not reach the server at 127.0.0.1:{port}: the connection was refused" in (
        run.stdout
    )
    assert "OFFLINE" in run.stdout
    assert "Attempt" not in run.stderr and "connecting failed" not in run.stderr
    assert run.stderr == ""
    log = (logs / "tgtui.log").read_text()
    assert "Attempt 1 at connecting failed: ConnectionRefusedError" in log


async def test_a_silent_server_times_out_with_its_address(tmp_path: Path) -> None:
    """A listener that accepts and never answers: the check names it and the limit."""
    from tgtui.accounts import AccountStore, State
    from tgtui.accounts.secrets import SecretStore
    from tgtui.telegram import Telegram
    from tgtui.telegram.health import check

    server_sock = socket.socket()
    server_sock.bind(("127.0.0.1", 0))
    server_sock.listen(5)
    port = server_sock.getsockname()[1]
    try:
        account = _real_config(tmp_path / "cfg", Server(2, "127.0.0.1", port))
        tg = Telegram(AccountStore(tmp_path / "cfg", SecretStore(mode="off")))
        health = await check(tg, account, timeout=1.5)
    finally:
        server_sock.close()
    assert health.state is State.OFFLINE
    assert health.reason == f"The server at 127.0.0.1:{port} did not answer within 1.5 s"


def test_connect_failures_name_host_port_and_cause() -> None:
    from tgtui.accounts import Proxy
    from tgtui.telegram.connect_errors import describe

    def say(attempt: tuple[str, str], **kw: object) -> str:
        kw = {"host": "10.0.0.7", "port": 443, "server": None, "proxy": None, "timeout": 10, **kw}
        fail = describe(
            ConnectionError("Connection to Telegram failed 1 time(s)"),
            [attempt],
            stage="session",
            **kw,
        )  # type: ignore[arg-type]
        assert fail is not None
        return f"{fail.name}: {fail.message}"

    assert say(("TimeoutError", "")) == (
        "TimeoutError: Could not reach Telegram at 10.0.0.7:443: timed out after 10 s (the "
        "network drops the packets: a firewall, or a proxy is needed)."
    )
    dns = say(("gaierror", "[Errno -2] Name or service not known"), host="tg.invalid")
    assert dns.startswith(
        "OSError: Could not reach Telegram at tg.invalid:443: the name "
        "tg.invalid does not resolve (DNS: "
    )
    custom = say(
        ("ConnectionRefusedError", "[Errno 111] refused"), server=Server(2, "10.0.0.7", 443)
    )
    assert "Could not reach the server at 10.0.0.7:443: the connection was refused" in custom
    proxied = say(
        ("OSError", "[Errno 113] No route to host"), proxy=Proxy("socks5", "192.0.2.1", 1080)
    )
    assert proxied == (
        "ProxyError: Could not connect through the socks5 proxy 192.0.2.1:1080 to Telegram "
        "(10.0.0.7:443): No route to host. Check the proxy's host, port and login."
    )
    # not a transport failure (the RSA key step): left to the general mapping
    assert (
        describe(
            ConnectionError("auth_key generation failed 1 time(s)"),
            [],
            host="h",
            port=1,
            server=None,
            proxy=None,
            timeout=1,
            stage="session",
        )
        is None
    )


# ---------------------------------------------------------------- item 4: imports
@pytest.fixture
def source_key(tmp_path: Path, sim) -> bytes:
    seed = tmp_path / "src.session"
    sim.authorize_session(seed, PHONE, API_ID)
    return importers.read_telethon_file(seed).auth_key


def _import(*args: str, stdin: str | None = None, monkeypatch=None) -> int:
    if stdin is not None:
        import io

        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with prompts.use(prompts.Scripted([])):
        return main(["import", *args, "--api-id", str(API_ID), "--api-hash-env", "H"])


def test_import_keeps_a_custom_server_and_fills_the_phone(
    tg, tmp_path: Path, source_key: bytes, capsys
) -> None:
    src = importers.write_telethon_file(
        importers.SessionData(2, "127.0.0.1", 8443, source_key), tmp_path / "custom.session"
    )
    assert _import("lab", "--session", str(src)) == 0, capsys.readouterr()
    account = tg.store.get("lab")
    assert account.server == Server(2, "127.0.0.1", 8443)
    assert _session_address(account.session_path) == (2, "127.0.0.1", 8443)
    assert account.phone == PHONE  # filled from Telegram's answer on the first OK check
    capsys.readouterr()
    assert main(["list"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("lab"))
    assert "+34 600 ••• 01" in row


def test_import_of_a_pyrogram_test_mode_string_keeps_the_test_dc(
    tg, source_key: bytes, capsys, monkeypatch
) -> None:
    raw = struct.pack(">BI?256sQ?", 1, API_ID, True, source_key, 42, False)
    text = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    assert _import("qa", "--string", "-", stdin=text, monkeypatch=monkeypatch) == 0
    account = tg.store.get("qa")
    assert account.server == Server(1, "149.154.175.10", 443, "", test=True)
    assert _session_address(account.session_path) == (1, "149.154.175.10", 443)


def test_fresh_import_logs_in_on_the_source_server(
    tg, sim, tmp_path: Path, source_key: bytes, capsys
) -> None:
    src = importers.write_telethon_file(
        importers.SessionData(2, "127.0.0.1", 8443, source_key), tmp_path / "custom.session"
    )
    assert _import("new", "--session", str(src), "--fresh") == 0, capsys.readouterr()
    account = tg.store.get("new")
    assert account.server == Server(2, "127.0.0.1", 8443)
    dc, host, port = _session_address(account.session_path)
    assert (host, port) == ("127.0.0.1", 8443)  # not production
    assert importers.read_telethon_file(account.session_path).auth_key != source_key
    assert account.phone == PHONE


def test_import_with_server_option_overrides_the_source(
    tg, tmp_path: Path, source_key: bytes, capsys
) -> None:
    src = importers.write_telethon_file(
        importers.SessionData(2, "149.154.167.51", 443, source_key), tmp_path / "p.session"
    )
    assert _import("lab", "--session", str(src), "--server", "127.0.0.1:9443") == 0
    account = tg.store.get("lab")
    assert account.server == Server(2, "127.0.0.1", 9443)
    assert _session_address(account.session_path) == (2, "127.0.0.1", 9443)


def test_production_import_stays_on_production(tg, tmp_path: Path, source_key: bytes) -> None:
    src = importers.write_telethon_file(
        importers.SessionData(4, "149.154.167.91", 443, source_key), tmp_path / "p.session"
    )
    assert importers.source_server(importers.read_telethon_file(src)) is None


# ---------------------------------------------------------------- item 8: doctor
def test_doctor_probes_every_server_and_proxy(tmp_path: Path, capsys) -> None:
    from telethon.crypto import rsa as tl_rsa
    from wire_support import TEST_KEY, wire_in_thread

    from tgtui.accounts import AccountStore, Proxy
    from tgtui.accounts.secrets import SecretStore
    from tgtui.config import prepare
    from tgtui.telegram.sim.wire import ServerKey

    root = prepare(tmp_path / "cfg")
    store = AccountStore(root, SecretStore(mode="off"))
    key = ServerKey.load_or_create(TEST_KEY)
    tl_rsa.add_key(key.public_pem(), old=False)  # stands in for Telegram's built-in keys
    key_file = key.write_public(tmp_path / "server.pub")
    proxy_port = _closed_port()
    with wire_in_thread(key) as wire:  # DC 2 plays Telegram, DC 3 the custom server
        telegram_port, server_port = wire.addresses[2][1], wire.addresses[3][1]
        custom = Server(3, "127.0.0.1", server_port, rsa_key_file=str(key_file))
        store.create(Account(name="a", api_id=API_ID, phone=PHONE), API_HASH)
        store.create(Account(name="b", api_id=API_ID, phone=PHONE, server=custom), API_HASH)
        store.create(Account(name="c", api_id=API_ID, phone=PHONE, server=custom), API_HASH)
        proxy = Proxy("socks5", "127.0.0.1", proxy_port)
        store.create(Account(name="d", api_id=API_ID, phone=PHONE, proxy=proxy), API_HASH)
        code = main(["--config-dir", str(root), "doctor", "--target", f"127.0.0.1:{telegram_port}"])
    out = capsys.readouterr().out
    assert code == 1
    lines = out.splitlines()
    assert any(
        line.startswith(f"Telegram   127.0.0.1:{telegram_port} reachable, answers MTProto")
        and line.endswith("— a")
        for line in lines
    ), out
    assert any(
        line.startswith(
            f"Server     127.0.0.1:{server_port} (the server) reachable, answers MTProto"
        )
        and line.endswith("— b, c")
        for line in lines
    ), out
    assert (
        f"Proxy      127.0.0.1:{proxy_port} (socks5 proxy) unreachable (connection refused) — d"
        in lines
    ), out
    assert f"the socks5 proxy (127.0.0.1:{proxy_port}) cannot be reached" in out


# ---------------------------------------------------------------- changing the server
def test_changing_the_server_says_when_a_new_login_is_needed(
    tg, sim, tmp_path: Path, capsys
) -> None:
    _seeded(tg, sim, tmp_path, server=Server(2, "127.0.0.1", 8443))
    assert main(["server", "ann"]) == 0
    assert capsys.readouterr().out == "ann: the server (127.0.0.1:8443), DC 2\n"
    # the same server at a new address: the login is kept
    assert main(["server", "ann", "--server", "10.0.0.5:443"]) == 0
    out = capsys.readouterr().out
    assert "ann now connects to the server (10.0.0.5:443)." in out
    assert "Only the address changed; the saved login is kept." in out
    # another DC: the login belongs to the old one
    assert main(["server", "ann", "--server", "10.0.0.5:443", "--dc", "4"]) == 0
    assert "log in again" in capsys.readouterr().out
    assert tg.store.get("ann").server == Server(4, "10.0.0.5", 443)
    assert main(["server", "ann", "--production"]) == 0
    assert "log in again" in capsys.readouterr().out
    assert tg.store.get("ann").server is None
    # a bad value changes nothing
    assert main(["server", "ann", "--server", "10.0.0.5"]) == 2
    assert "Add the port" in capsys.readouterr().err
    assert tg.store.get("ann").server is None


def test_proxy_set_and_removed_through_the_server_command(
    tg, sim, tmp_path: Path, capsys, monkeypatch
) -> None:
    _seeded(tg, sim, tmp_path)
    monkeypatch.setenv("PX", "pw-123")
    args = ["server", "ann", "--proxy", "http://u@127.0.0.1:3128", "--proxy-secret-env", "PX"]
    assert main(args) == 0
    account = tg.store.get("ann")
    assert tg.store.proxy_secret(account) == "pw-123"
    assert "pw-123" not in (account.folder / "account.toml").read_text()
    assert main(["server", "ann", "--no-proxy"]) == 0
    account = tg.store.get("ann")
    assert account.proxy is None
    left = account.folder / "secrets.toml"
    assert "pw-123" not in left.read_text()  # the api_hash stays, the password is gone
    assert "pw-123" not in capsys.readouterr().out


def test_export_carries_the_account_server(tg, sim, tmp_path: Path, capsys) -> None:
    account = _seeded(tg, sim, tmp_path)  # its file says production
    tg.store.update(replace(account, server=Server(2, "127.0.0.1", 8443)))
    assert main(["export", "ann", "--string"]) == 0
    data = importers.parse_string(capsys.readouterr().out)
    assert (data.server_address, data.port) == ("127.0.0.1", 8443)
    assert _session_address(account.session_path)[1] == "149.154.167.51"  # file untouched


def test_test_numbers_are_masked_readably() -> None:
    from tgtui.accounts.validate import mask_phone

    assert mask_phone(TEST_PHONE) == "+999 ••• 34"


async def test_a_slow_custom_server_is_named_in_the_login_timeout(tmp_path: Path, sim) -> None:
    from tgtui.config import Settings
    from tgtui.telegram.errors import TelegramFailure
    from tgtui.telegram.flow import LoginFlow

    tg = make_tg(tmp_path / "slow", Clock(), sim, settings=Settings(check_timeout=0.3))
    sim.latency = 2.0
    flow = LoginFlow(tg, name="lab", server=Server(2, "127.0.0.1", 8443))
    await flow.set_credentials(API_ID, API_HASH)
    with pytest.raises(TelegramFailure) as err:
        await flow.send_code(TEST_PHONE)
    assert err.value.failure.name == "TimeoutError"
    assert err.value.failure.message == (
        "The server at 127.0.0.1:8443 did not answer within 0.3 s."
    )
    await flow.cancel()


async def test_a_refused_proxy_is_named_with_both_addresses(tmp_path: Path) -> None:
    """Real Telethon through a SOCKS5 proxy address where nothing listens."""
    from tgtui.accounts import AccountStore, Proxy, State
    from tgtui.accounts.secrets import SecretStore
    from tgtui.telegram import Telegram
    from tgtui.telegram.health import check

    port = _closed_port()
    account = _real_config(tmp_path / "cfg", Server(2, "127.0.0.1", 8443))
    store = AccountStore(tmp_path / "cfg", SecretStore(mode="off"))
    account = store.update(replace(account, proxy=Proxy("socks5", "127.0.0.1", port)))
    health = await check(Telegram(store), account, timeout=5)
    assert health.state is State.OFFLINE and health.error.name == "ProxyError"
    assert health.reason == (
        f"Could not connect through the socks5 proxy 127.0.0.1:{port} to the server "
        "(127.0.0.1:8443): the proxy refused the connection. Check the proxy's host, port "
        "and login."
    )


def test_doctor_flags_a_missing_server_key(tmp_path: Path, capsys) -> None:
    from tgtui.accounts import AccountStore
    from tgtui.accounts.secrets import SecretStore
    from tgtui.config import prepare

    root = prepare(tmp_path / "cfg")
    store = AccountStore(root, SecretStore(mode="off"))
    gone = tmp_path / "gone.pem"
    server = Server(2, "127.0.0.1", 8443, str(gone))
    store.create(Account(name="lab", api_id=API_ID, phone=PHONE, server=server), API_HASH)
    assert main(["--config-dir", str(root), "doctor", "--no-network"]) == 1
    out = capsys.readouterr().out
    assert f"lab: the server's RSA key: {gone} does not exist" in out
    assert "fix: tgtui server lab --server HOST:PORT --rsa-key FILE" in out
