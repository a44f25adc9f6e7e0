"""Reading a Telegram Desktop `tdata` folder: its accounts, their user ids, main DCs and
auth keys. Local only (no network); nothing in the folder is ever written, renamed,
locked or removed, so it can be read while Telegram Desktop runs.

Layout (as Telegram Desktop 2.2 and later write it):

- ``key_datas``: a salt, the local key encrypted under a key derived from the passcode,
  and the list of account indexes encrypted under the local key. Up to 7.2 the passcode
  key is PBKDF2-HMAC-SHA512 (`create_local_key`); from 7.3 a trailer ("KD2") may wrap the
  local key under an Argon2id key instead when a passcode is set.
- per account index i, data name "data" (i = 0) or "data#<i+1>": the account's folder
  ``<file part of md5(name)>/`` holds its ``map``; the file of the same name next to
  that folder holds its MTProto authorization: user id, main DC, one auth key per DC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tgtui.i18n import N_, _
from tgtui.telegram.importers import PORT, SessionData, dc_address
from tgtui.telegram.tdata_format import (
    LOCAL_KEY_LEN,
    SALT_LEN,
    Stream,
    TdataError,
    TdfFile,
    WrongPasscode,
    argon2id_key,
    create_local_key,
    data_name_key,
    decrypt_local,
    file_part,
    find_file,
    read_tdf,
)

KEY_FILE = "key_datas"
DATA_NAME = "data"
MAX_ACCOUNTS = 100  # Telegram Desktop allows 3 (6 with Premium); be generous.
MTP_AUTHORIZATION = 0x4B  # the settings block id of an account's MTProto keys
_WIDE_IDS_TAG = 0xFFFFFFFFFFFFFFFF
_TRAILER_MAGIC = b"KD2\x00"
_ARGON2ID = 1


class PasscodeNeeded(WrongPasscode):
    """The folder has a local passcode and none (an empty one) was given."""


@dataclass(frozen=True)
class TdataAccount:
    """One logged-in account of a tdata folder; `number` counts from 1 as listed."""

    number: int
    index: int
    user_id: int
    dc_id: int
    keys: dict[int, bytes] = field(repr=False)

    @property
    def main_key(self) -> bytes:
        """The auth key of the main DC."""
        return self.keys[self.dc_id]

    def session(self) -> SessionData:
        """The account's main-DC session, ready to be written as a Telethon session."""
        return SessionData(
            self.dc_id,
            dc_address(self.dc_id),
            PORT,
            self.main_key,
            "tdata",
            user_id=self.user_id or None,
        )

    def describe(self) -> str:
        """`2  user 123456789, DC 4`: a line for a list (no secrets)."""
        return _("{number}  user {user}, DC {dc}").format(
            number=self.number, user=self.user_id, dc=self.dc_id
        )


@dataclass(frozen=True)
class TdataFolder:
    """What a tdata folder holds: its accounts, the writer's version, and hints."""

    path: Path
    version: int
    accounts: tuple[TdataAccount, ...]
    skipped: tuple[str, ...] = ()  # one line per account that could not be read
    passcode: bool = False
    running: bool = False  # Telegram Desktop is running on it (or crashed)

    @property
    def version_text(self) -> str:
        """`7.3.1` for 7003001."""
        major, rest = divmod(self.version, 1_000_000)
        minor, patch = divmod(rest, 1000)
        return f"{major}.{minor}" + (f".{patch}" if patch else "")

    def account(self, number: int) -> TdataAccount:
        """The account listed as `number`; TdataError when there is none."""
        for acc in self.accounts:
            if acc.number == number:
                return acc
        raise TdataError(
            _("{path} has no account {number}: choose 1 to {count}.").format(
                path=self.path, number=number, count=len(self.accounts)
            )
        )


# ------------------------------------------------------------------------- folder
def locate(path: Path) -> Path:
    """The tdata folder at `path`: the folder itself, or its `tdata` subfolder."""
    path = Path(path).expanduser()
    if not path.exists():
        raise TdataError(_("{path} does not exist.").format(path=path))
    if not path.is_dir():
        raise TdataError(
            _("{path} is a file: give the tdata folder (it holds key_datas).").format(path=path)
        )
    for folder in (path, path / "tdata"):
        if find_file(folder, "key_data") is not None:
            return folder
    first = file_part(data_name_key(DATA_NAME))  # the first account's folder
    if any(find_file(folder / first, "map") for folder in (path, path / "tdata")):
        raise TdataError(
            _(
                "{path} is from a Telegram Desktop older than 2.2 (no key_datas): open it once "
                "in a current Telegram Desktop, then import it."
            ).format(path=path)
        )
    raise TdataError(
        _(
            "{path} is not a Telegram Desktop tdata folder (expected a key_datas file in it)."
        ).format(path=path)
    )


@dataclass(frozen=True)
class _KeyFile:
    tdf: TdfFile
    salt: bytes
    key_encrypted: bytes
    info_encrypted: bytes
    wraps: tuple[tuple[int, int, int, bytes, bytes], ...]  # memory, passes, lanes, salt, key


def _read_key_file(folder: Path) -> _KeyFile:
    tdf = read_tdf(folder, "key_data", N_("the key file (salt, encrypted local key, accounts)"))
    what = N_("a salt, the encrypted local key and the account list")
    stream = Stream(tdf.data, tdf.path, what)
    salt = stream.byte_array() or b""
    key_encrypted = stream.byte_array() or b""
    info_encrypted = stream.byte_array() or b""
    if len(salt) != SALT_LEN:
        raise TdataError(
            _("{path} has a salt of {size} bytes, expected {expected}.").format(
                path=tdf.path, size=len(salt), expected=SALT_LEN
            )
        )
    wraps: list[tuple[int, int, int, bytes, bytes]] = []
    if not stream.at_end():
        trailer = stream.byte_array() or b""
        wraps = _read_trailer(Stream(trailer, tdf.path, N_("the key wrap trailer (KD2)")), tdf.path)
    if not key_encrypted and not wraps:
        raise TdataError(_("{path} holds no encrypted local key.").format(path=tdf.path))
    return _KeyFile(tdf, salt, key_encrypted, info_encrypted, tuple(wraps))


def _read_trailer(stream: Stream, path: Path) -> list[tuple[int, int, int, bytes, bytes]]:
    """The passcode wraps of a 7.3+ key file (none: the classic wrap alone counts)."""
    if stream.raw(4) != _TRAILER_MAGIC:
        raise TdataError(
            _("{path} has an unknown trailer (expected one starting with KD2).").format(path=path)
        )
    stream.u32()  # the trailer's version
    count = stream.u32()
    if count > 16:
        raise TdataError(
            _("{path} lists {count} key wraps; expected a handful at most.").format(
                path=path, count=count
            )
        )
    wraps = []
    for _unused in range(count):
        stream.u32()  # which generation of the wrap this is
        family = stream.u32()
        stream.u32()  # the KDF's own version
        memory_kib, passes, lanes = stream.u32(), stream.u32(), stream.u32()
        salt = stream.byte_array() or b""
        wrapped = stream.byte_array() or b""
        if family != _ARGON2ID:
            raise TdataError(
                _(
                    "{path} protects its key with a passcode scheme tgtui does not know (family "
                    "{family}); import from a Telegram Desktop without a local passcode."
                ).format(path=path, family=family)
            )
        if not (8 <= memory_kib <= 4 * 1024 * 1024 and 1 <= passes <= 64 and 1 <= lanes <= 64):
            raise TdataError(_("{path} names unusable Argon2id settings.").format(path=path))
        wraps.append((memory_kib, passes, lanes, salt, wrapped))
    return wraps


def needs_passcode(path: Path) -> bool:
    """Whether the tdata folder at `path` is protected by a local passcode."""
    keys = _read_key_file(locate(path))
    if keys.wraps:
        return True
    return decrypt_local(keys.key_encrypted, create_local_key(b"", keys.salt)) is None


def _local_key(keys: _KeyFile, passcode: bytes) -> bytes:
    local: bytes | None = None
    if keys.wraps and passcode:
        for memory_kib, passes, lanes, salt, wrapped in keys.wraps:
            local = decrypt_local(wrapped, argon2id_key(passcode, salt, memory_kib, passes, lanes))
            if local is not None:
                break
    elif keys.key_encrypted:
        local = decrypt_local(keys.key_encrypted, create_local_key(passcode, keys.salt))
        if local is None and passcode:  # a passcode given for a folder that has none
            local = decrypt_local(keys.key_encrypted, create_local_key(b"", keys.salt))
    if local is None:
        if not passcode:
            raise PasscodeNeeded(
                _("{path} is protected by a local passcode.").format(path=keys.tdf.path.parent)
            )
        raise WrongPasscode(_("That passcode does not open this tdata folder."))
    if len(local) != LOCAL_KEY_LEN:
        raise TdataError(
            _("{path} holds a local key of {size} bytes, expected 256.").format(
                path=keys.tdf.path, size=len(local)
            )
        )
    return local


def read_tdata(path: Path, passcode: str = "") -> TdataFolder:
    """Every logged-in account of the tdata folder at `path` (or its `tdata` subfolder).

    Raises PasscodeNeeded / WrongPasscode for a missing or wrong passcode, TdataError
    for anything else (naming the file and what was expected there).
    """
    folder = locate(path)
    keys = _read_key_file(folder)
    local = _local_key(keys, passcode.encode("utf-8"))
    info = decrypt_local(keys.info_encrypted, local)
    if info is None:
        raise TdataError(
            _("{path}: the account list does not decrypt with its key.").format(path=keys.tdf.path)
        )
    stream = Stream(info, keys.tdf.path, N_("the number of accounts and their indexes"))
    count = stream.i32()
    if not 1 <= count <= MAX_ACCOUNTS:
        raise TdataError(
            _("{path} lists {count} accounts; expected 1 to 6.").format(
                path=keys.tdf.path, count=count
            )
        )
    indexes: list[int] = []
    for _unused in range(count):
        index = stream.i32()
        if 0 <= index < MAX_ACCOUNTS and index not in indexes:
            indexes.append(index)
    accounts: list[TdataAccount] = []
    skipped: list[str] = []
    for index in indexes:
        try:
            user_id, dc_id, found = _read_account(folder, index, local)
        except TdataError as exc:
            skipped.append(str(exc))
            continue
        accounts.append(TdataAccount(len(accounts) + 1, index, user_id, dc_id, found))
    if not accounts:
        if skipped:
            raise TdataError(
                _("{folder} holds no logged-in account ({detail}).").format(
                    folder=folder, detail=skipped[0]
                )
            )
        raise TdataError(_("{folder} holds no logged-in account.").format(folder=folder))
    return TdataFolder(
        folder,
        keys.tdf.version,
        tuple(accounts),
        tuple(skipped),
        passcode=bool(passcode),
        running=(folder / "working").exists(),
    )


def _data_name(index: int) -> str:
    return DATA_NAME if index == 0 else f"{DATA_NAME}#{index + 1}"


def _read_account(folder: Path, index: int, local: bytes) -> tuple[int, int, dict[int, bytes]]:
    part = file_part(data_name_key(_data_name(index)))
    account_dir = folder / part
    the_map = read_tdf(account_dir, "map", N_("account {n}'s map").format(n=index + 1))
    map_payload = Stream(the_map.data, the_map.path, N_("the map's salt, key and data"))
    map_payload.byte_array()
    map_payload.byte_array()
    if decrypt_local(map_payload.byte_array() or b"", local) is None:
        raise TdataError(
            _("{path} does not decrypt with the folder's local key.").format(path=the_map.path)
        )
    mtp = read_tdf(folder, part, N_("account {n}'s authorization").format(n=index + 1))
    outer = Stream(mtp.data, mtp.path, N_("an encrypted block"))
    plain = decrypt_local(outer.byte_array() or b"", local)
    if plain is None:
        raise TdataError(
            _("{path} does not decrypt with the folder's local key.").format(path=mtp.path)
        )
    stream = Stream(plain, mtp.path, N_("the MTProto authorization block"))
    serialized: bytes | None = None
    while not stream.at_end():
        block = stream.u32()
        if block != MTP_AUTHORIZATION:
            raise TdataError(
                _("{path} holds block {block}; expected the MTProto authorization (0x4b).").format(
                    path=mtp.path, block=f"{block:#x}"
                )
            )
        serialized = stream.byte_array()
    if not serialized:
        raise TdataError(
            _("{path} holds no MTProto authorization: not logged in.").format(path=mtp.path)
        )
    return _parse_authorization(Stream(serialized, mtp.path, N_("user id, main DC and auth keys")))


def _parse_authorization(stream: Stream) -> tuple[int, int, dict[int, bytes]]:
    legacy_user, legacy_dc = stream.u32(), stream.u32()
    if (legacy_user << 32) | legacy_dc == _WIDE_IDS_TAG:
        user_id, dc_id = stream.u64(), stream.i32()
    else:
        user_id, dc_id = legacy_user, legacy_dc
    keys: dict[int, bytes] = {}
    count = stream.i32()
    if not 0 <= count <= 64:
        raise TdataError(
            _("{path} lists {count} auth keys; expected a few.").format(
                path=stream.path, count=count
            )
        )
    for _unused in range(count):
        dc = stream.i32()
        keys[dc] = stream.raw(LOCAL_KEY_LEN)
    if dc_id not in keys:
        raise TdataError(
            _("{path} has no auth key for its main DC {dc}: not logged in.").format(
                path=stream.path, dc=dc_id
            )
        )
    if not user_id:
        raise TdataError(_("{path} names no user: not logged in.").format(path=stream.path))
    return user_id, dc_id, keys
