"""Reading Telegram Desktop tdata folders written by independent implementations.

The fixtures under tests/fixtures/tdata were written by opentele2 2.0.0 (Telegram
Desktop 7.3's layout) and opentele-ng 1.5.0 (the layout before 7.3) from auth keys of
the simulated Telegram; tests/fixtures/tdata/generate.py remakes them and
manifest.json says what each holds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tgtui.telegram import tdata
from tgtui.telegram.tdata_format import TdataError, WrongPasscode

FIXTURES = Path(__file__).parent / "fixtures" / "tdata"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text())


def _expected(name: str) -> list[tuple[int, int, str]]:
    return [(a["user_id"], a["dc"], a["auth_key_hex"]) for a in MANIFEST[name]["accounts"]]


def _read(name: str, passcode: str = "") -> list[tuple[int, int, str]]:
    folder = tdata.read_tdata(FIXTURES / name, passcode)
    return [(a.user_id, a.dc_id, a.main_key.hex()) for a in folder.accounts]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _copy(name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / name, tmp_path / name))


@pytest.mark.parametrize("name", ["desktop73-plain", "desktop-legacy-plain"])
def test_no_passcode(name: str) -> None:
    assert MANIFEST[name]["passcode"] == ""
    assert not tdata.needs_passcode(FIXTURES / name)
    assert _read(name) == _expected(name)


@pytest.mark.parametrize("name", ["desktop73-passcode", "desktop-legacy-passcode"])
def test_passcode(name: str) -> None:
    passcode = MANIFEST[name]["passcode"]
    assert passcode and tdata.needs_passcode(FIXTURES / name)
    assert _read(name, passcode) == _expected(name)


@pytest.mark.parametrize("name", ["desktop73-passcode", "desktop-legacy-passcode"])
def test_wrong_and_missing_passcode(name: str) -> None:
    with pytest.raises(WrongPasscode, match="does not open"):
        tdata.read_tdata(FIXTURES / name, "wrong")
    with pytest.raises(tdata.PasscodeNeeded, match="protected by a local passcode"):
        tdata.read_tdata(FIXTURES / name)


@pytest.mark.parametrize("name", ["desktop73-two", "desktop-legacy-passcode"])
def test_two_accounts_in_one_folder(name: str) -> None:
    folder = tdata.read_tdata(FIXTURES / name, MANIFEST[name]["passcode"])
    assert [a.number for a in folder.accounts] == [1, 2]
    assert [(a.user_id, a.dc_id) for a in folder.accounts] == [
        (u, dc) for u, dc, _ in _expected(name)
    ]
    assert folder.account(2).describe() == f"2  user {folder.accounts[1].user_id}, DC " + str(
        folder.accounts[1].dc_id
    )
    with pytest.raises(TdataError, match="has no account 3: choose 1 to 2"):
        folder.account(3)


def test_session_of_an_account_is_its_main_dc(tmp_path: Path) -> None:
    account = tdata.read_tdata(FIXTURES / "desktop73-two").account(2)
    session = account.session()
    assert (session.dc_id, session.server_address, session.port) == (4, "149.154.167.91", 443)
    assert session.auth_key.hex() == _expected("desktop73-two")[1][2]
    assert session.user_id == account.user_id and session.source == "tdata"
    assert account.main_key.hex()[:16] not in repr(account) + repr(session)


def test_the_folder_holding_tdata_works_too(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "desktop73-plain", tmp_path / "Telegram" / "tdata")
    assert [a.user_id for a in tdata.read_tdata(tmp_path / "Telegram").accounts] == [
        _expected("desktop73-plain")[0][0]
    ]


def test_the_folder_is_never_changed(tmp_path: Path) -> None:
    folder = _copy("desktop73-passcode", tmp_path)
    before = _snapshot(folder)
    (folder / "working").write_bytes(b"")  # Telegram Desktop is running
    with pytest.raises(WrongPasscode):
        tdata.read_tdata(folder, "nope")
    result = tdata.read_tdata(folder, MANIFEST["desktop73-passcode"]["passcode"])
    assert result.running and result.version_text == "7.3.1"
    after = _snapshot(folder)
    after.pop("working")
    assert after == before


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("truncate key", "key_datas is damaged or truncated"),
        ("garbage key", "key_datas is not a Telegram Desktop data file"),
        ("empty key", "key_datas is not a Telegram Desktop data file"),
        ("truncate mtp", "D877F783D5D3EF8Cs is damaged or truncated"),
        ("garbage map", "maps is not a Telegram Desktop data file"),
        ("no mtp", "D877F783D5D3EF8Cs is missing: expected account 1's authorization"),
    ],
)
def test_damaged_files_are_named_with_what_was_expected(
    tmp_path: Path, damage: str, message: str
) -> None:
    folder = _copy("desktop-legacy-plain", tmp_path)
    key, mtp = folder / "key_datas", folder / "D877F783D5D3EF8Cs"
    if damage == "truncate key":
        key.write_bytes(key.read_bytes()[:100])
    elif damage == "garbage key":
        key.write_bytes(b"\x00garbage" * 40)
    elif damage == "empty key":
        key.write_bytes(b"")
    elif damage == "truncate mtp":
        mtp.write_bytes(mtp.read_bytes()[:-30])
    elif damage == "garbage map":
        (folder / "D877F783D5D3EF8C" / "maps").write_bytes(b"hello")
    elif damage == "no mtp":
        mtp.unlink()
    with pytest.raises(TdataError) as caught:
        tdata.read_tdata(folder)
    text = str(caught.value)
    assert message in text and str(folder) in text and "\n" not in text


def test_a_folder_that_is_not_tdata(tmp_path: Path) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_bytes(b"\xff\xd8\xff")
    with pytest.raises(TdataError, match="is not a Telegram Desktop tdata folder"):
        tdata.read_tdata(tmp_path / "photos")
    with pytest.raises(TdataError, match="does not exist"):
        tdata.read_tdata(tmp_path / "nowhere")
    with pytest.raises(TdataError, match="is a file: give the tdata folder"):
        tdata.read_tdata(tmp_path / "photos" / "cat.jpg")
    (tmp_path / "old" / "tdata" / "D877F783D5D3EF8C").mkdir(parents=True)
    (tmp_path / "old" / "tdata" / "D877F783D5D3EF8C" / "map0").write_bytes(b"TDF$")
    with pytest.raises(TdataError, match="older than 2.2"):
        tdata.read_tdata(tmp_path / "old")


def test_a_passcode_given_for_a_folder_without_one_is_ignored() -> None:
    assert _read("desktop-legacy-plain", "anything") == _expected("desktop-legacy-plain")
    assert _read("desktop73-plain", "anything") == _expected("desktop73-plain")


# ------------------------------------------------------------------ fuzzing the parser
# Valid containers (checksums right, encrypted under the folder's real local key) around
# random or half-right content: the reader either reads sane values or raises TdataError
# naming a file — never another exception.
import hashlib  # noqa: E402
import os  # noqa: E402
import struct  # noqa: E402
import tempfile  # noqa: E402

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tgtui.telegram import tdata_format  # noqa: E402


def _container(payload: bytes, version: int = 3004000) -> bytes:
    tail = struct.pack("<i", len(payload)) + struct.pack("<i", version) + b"TDF$"
    digest = hashlib.md5(payload + tail).digest()
    return b"TDF$" + struct.pack("<i", version) + payload + digest


def _encrypt(plain: bytes, key: bytes) -> bytes:
    """Telegram Desktop's local encryption, for building test input only."""
    from telethon.crypto import AES

    data = struct.pack("<I", len(plain) + 4) + plain
    data += os.urandom(-len(data) % 16)
    msg_key = hashlib.sha1(data).digest()[:16]
    aes_key, aes_iv = tdata_format._aes_key_iv(key, msg_key)
    return msg_key + AES.encrypt_ige(data, aes_key, aes_iv)


def _qbytes(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _local_key(folder: Path) -> bytes:
    return tdata._local_key(tdata._read_key_file(folder), b"")


def _authorization(user: int, dc: int, keys: list[tuple[int, bytes]]) -> bytes:
    body = struct.pack(">QQi", 0xFFFFFFFFFFFFFFFF, user, dc)
    body += struct.pack(">i", len(keys)) + b"".join(struct.pack(">i", d) + k for d, k in keys)
    return body + struct.pack(">i", 0)


def test_own_encryption_helper_matches_the_reader(tmp_path: Path) -> None:
    folder = _copy("desktop-legacy-plain", tmp_path)
    local = _local_key(folder)
    key = bytes(range(256))
    block = struct.pack(">I", 0x4B) + _qbytes(_authorization(42, 5, [(5, key)]))
    (folder / "D877F783D5D3EF8Cs").write_bytes(_container(_qbytes(_encrypt(block, local))))
    account = tdata.read_tdata(folder).accounts[0]
    assert (account.user_id, account.dc_id, account.main_key) == (42, 5, key)


_FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(
    st.one_of(
        st.binary(max_size=700),
        st.builds(
            lambda head, body: struct.pack(">I", 0x4B) + _qbytes(head + body),
            st.sampled_from([b"", struct.pack(">Q", 0xFFFFFFFFFFFFFFFF), struct.pack(">ii", 7, 2)]),
            st.binary(max_size=600),
        ),
        st.builds(
            lambda user, dc, count, cut: (
                struct.pack(">I", 0x4B)
                + _qbytes(_authorization(user, dc, [(dc, bytes(256))] * count)[:cut])
            ),
            st.integers(0, 2**64 - 1),
            st.integers(-(2**31), 2**31 - 1),
            st.integers(0, 3),
            st.integers(0, 900),
        ),
    )
)
def test_random_authorization_blocks_never_crash(plain: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = _copy("desktop-legacy-plain", Path(tmp))
        local = _local_key(folder)
        (folder / "D877F783D5D3EF8Cs").write_bytes(_container(_qbytes(_encrypt(plain, local))))
        try:
            found = tdata.read_tdata(folder)
        except TdataError as exc:
            assert str(folder) in str(exc) and "\n" not in str(exc)
        else:
            account = found.accounts[0]
            assert len(account.main_key) == 256 and account.user_id > 0


@_FUZZ
@given(st.binary(max_size=200))
def test_random_account_lists_never_crash(plain: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = _copy("desktop-legacy-plain", Path(tmp))
        keys = tdata._read_key_file(folder)
        local = _local_key(folder)
        payload = _qbytes(keys.salt) + _qbytes(keys.key_encrypted) + _qbytes(_encrypt(plain, local))
        (folder / "key_datas").write_bytes(_container(payload))
        try:
            found = tdata.read_tdata(folder)
        except TdataError as exc:
            assert str(folder) in str(exc) and "\n" not in str(exc)
        else:
            assert [a.index for a in found.accounts] == [0]


def test_without_argon2id_a_73_passcode_folder_says_what_to_install(monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_argon2(name: str, *args: object, **kwargs: object) -> object:
        if name.endswith("kdf.argon2"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_argon2)
    with pytest.raises(TdataError, match="needs Argon2id.*install cryptography 44"):
        tdata.read_tdata(FIXTURES / "desktop73-passcode", "correct horse")
