"""Request handlers of the simulated Telegram: one ``_on_<RequestClassName>`` per method.

Each handler gets the unwrapped request, the caller's `SimKey` and its logged-in
`SimUser` (None before login) and returns a real TL object or raises `rpc(...)`.
`SimServer` inherits these and owns the state they read.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable
from typing import Any

from telethon.tl import types

from tgtui.telegram.sim import srp as sim_srp
from tgtui.telegram.sim.state import (
    CODE_LENGTH,
    PHONE_RE,
    PUBLISHED_API_IDS,
    LoginToken,
    PendingCode,
    SimKey,
    SimUser,
    normalize_phone,
    rpc,
    utc,
)


class RequestHandlers:
    """The methods the simulated Telegram answers (mixed into `SimServer`)."""

    clock: Callable[[], float]
    seed: int
    code_ttl: float
    qr_ttl: float
    authorization_ttl_days: int
    strict_fresh_reset: bool
    _rng: random.Random
    apps: dict[int, str]
    users: dict[str, SimUser]
    _users_by_id: dict[int, SimUser]
    keys: dict[int, SimKey]
    _codes: dict[str, PendingCode]
    _codes_sent: dict[str, int]
    _last_code: dict[str, str]
    _tokens: dict[bytes, LoginToken]
    _unregistered_flood: dict[str, float]

    def _authorize(self, key: SimKey, user: SimUser) -> None:
        raise NotImplementedError

    def _accept_token(self, token: LoginToken, user: SimUser) -> SimKey:
        raise NotImplementedError

    def dc_list(self) -> list[types.DcOption]:
        raise NotImplementedError

    def qr_migrate(self, token: LoginToken, key: SimKey) -> Any:
        raise NotImplementedError

    # ------------------------------------------------------------------ handlers: misc

    def _on_PingRequest(self, req: Any, key: SimKey, user: SimUser | None) -> types.Pong:  # noqa: N802
        return types.Pong(msg_id=0, ping_id=req.ping_id)

    _on_PingDelayDisconnectRequest = _on_PingRequest

    def _on_GetConfigRequest(self, req: Any, key: SimKey, user: SimUser | None) -> types.Config:  # noqa: N802
        now = self.clock()
        return types.Config(
            date=utc(now),
            expires=utc(now + 3600),
            test_mode=False,
            this_dc=key.dc,
            dc_options=self.dc_list(),
            dc_txt_domain_name="apv3.stel.com",
            chat_size_max=200,
            megagroup_size_max=200000,
            forwarded_count_max=100,
            online_update_period_ms=210000,
            offline_blur_timeout_ms=5000,
            offline_idle_timeout_ms=30000,
            online_cloud_timeout_ms=300000,
            notify_cloud_delay_ms=30000,
            notify_default_delay_ms=1500,
            push_chat_period_ms=60000,
            push_chat_limit=2,
            edit_time_limit=172800,
            revoke_time_limit=2147483647,
            revoke_pm_time_limit=2147483647,
            rating_e_decay=2419200,
            stickers_recent_limit=200,
            channels_read_media_period=604800,
            call_receive_timeout_ms=20000,
            call_ring_timeout_ms=90000,
            call_connect_timeout_ms=30000,
            call_packet_timeout_ms=10000,
            me_url_prefix="https://t.me/",
            caption_length_max=1024,
            message_length_max=4096,
            webfile_dc_id=4,
        )

    def _on_GetNearestDcRequest(self, req: Any, key: SimKey, user: SimUser | None) -> Any:  # noqa: N802
        return types.NearestDc(country="NL", this_dc=key.dc, nearest_dc=key.dc)

    def _on_GetStateRequest(self, req: Any, key: SimKey, user: SimUser) -> Any:  # noqa: N802
        return types.updates.State(pts=1, qts=0, date=utc(self.clock()), seq=1, unread_count=0)

    def _on_GetDifferenceRequest(self, req: Any, key: SimKey, user: SimUser) -> Any:  # noqa: N802
        return types.updates.DifferenceEmpty(date=utc(self.clock()), seq=1)

    def _on_GetUsersRequest(self, req: Any, key: SimKey, user: SimUser) -> list[types.User]:  # noqa: N802
        found: list[types.User] = []
        for wanted in req.id:
            if isinstance(wanted, types.InputUserSelf) or (
                isinstance(wanted, types.InputUser) and wanted.user_id == user.id
            ):
                found.append(user.to_tl())
            elif isinstance(wanted, types.InputUser) and wanted.user_id in self._users_by_id:
                found.append(self._users_by_id[wanted.user_id].to_tl(is_self=False))
        return found

    # ------------------------------------------------------------------ handlers: code login

    def _check_app(self, api_id: int, api_hash: str) -> None:
        if api_id in PUBLISHED_API_IDS:
            raise rpc("API_ID_PUBLISHED_FLOOD")
        if self.apps.get(api_id) != api_hash:
            raise rpc("API_ID_INVALID")

    def _on_SendCodeRequest(self, req: Any, key: SimKey, user: SimUser | None) -> Any:  # noqa: N802
        self._check_app(req.api_id, req.api_hash)
        phone = normalize_phone(req.phone_number)
        if not PHONE_RE.match(phone):
            raise rpc("PHONE_NUMBER_INVALID")
        target = self.users.get(phone)
        if target is not None and target.banned:
            raise rpc("PHONE_NUMBER_BANNED")
        flood_until = (
            target.send_code_flood_until if target else self._unregistered_flood.get(phone, 0.0)
        )
        remaining = math.ceil(flood_until - self.clock())
        if remaining > 0:
            raise rpc(f"FLOOD_WAIT_{remaining}", 420)
        count = self._codes_sent.get(phone, 0) + 1
        self._codes_sent[phone] = count
        digest = hashlib.sha256(f"{self.seed}:code:{phone}:{count}".encode()).digest()
        code = f"{int.from_bytes(digest[:8], 'big') % 10**CODE_LENGTH:0{CODE_LENGTH}d}"
        phone_code_hash = digest[8:17].hex()
        kind = "app" if target is not None and self._has_app_session(target) else "sms"
        self._codes[phone_code_hash] = PendingCode(
            phone=phone,
            phone_code_hash=phone_code_hash,
            code=code,
            key_id=key.key_id,
            sent_at=self.clock(),
            kind=kind,
        )
        self._last_code[phone] = code
        on_code = getattr(self, "on_code", None)
        if on_code is not None:
            on_code(phone, code)
        return self._sent_code(self._codes[phone_code_hash])

    def _has_app_session(self, user: SimUser) -> bool:
        return bool(user.other_sessions) or any(
            k.user_id == user.id and not k.fatal_error for k in self.keys.values()
        )

    def _sent_code(self, code: PendingCode) -> types.auth.SentCode:
        sent_type: Any
        next_type: Any
        if code.kind == "app":
            sent_type, next_type = (
                types.auth.SentCodeTypeApp(length=CODE_LENGTH),
                types.auth.CodeTypeSms(),
            )
        elif code.kind == "sms":
            sent_type, next_type = (
                types.auth.SentCodeTypeSms(length=CODE_LENGTH),
                types.auth.CodeTypeCall(),
            )
        else:
            sent_type, next_type = types.auth.SentCodeTypeCall(length=CODE_LENGTH), None
        return types.auth.SentCode(
            type=sent_type,
            phone_code_hash=code.phone_code_hash,
            next_type=next_type,
            timeout=120 if next_type is not None else None,
        )

    def _pending_code(self, phone: str, phone_code_hash: str, key: SimKey) -> PendingCode:
        if not phone_code_hash:
            raise rpc("PHONE_CODE_HASH_EMPTY")
        code = self._codes.get(phone_code_hash)
        # A hash from another auth key (another session file) is as good as expired.
        if code is None or code.phone != phone or code.key_id != key.key_id:
            raise rpc("PHONE_CODE_EXPIRED")
        if code.used or code.expired or self.clock() >= code.sent_at + self.code_ttl:
            raise rpc("PHONE_CODE_EXPIRED")
        return code

    def _on_ResendCodeRequest(self, req: Any, key: SimKey, user: SimUser | None) -> Any:  # noqa: N802
        phone = normalize_phone(req.phone_number)
        code = self._pending_code(phone, req.phone_code_hash, key)
        if code.kind == "call":
            raise rpc("SEND_CODE_UNAVAILABLE", 406)
        code.kind = "sms" if code.kind == "app" else "call"
        code.sent_at = self.clock()
        return self._sent_code(code)

    def _on_CancelCodeRequest(self, req: Any, key: SimKey, user: SimUser | None) -> bool:  # noqa: N802
        code = self._pending_code(normalize_phone(req.phone_number), req.phone_code_hash, key)
        code.used = True
        return True

    def _on_SignInRequest(self, req: Any, key: SimKey, user: SimUser | None) -> Any:  # noqa: N802
        phone = normalize_phone(req.phone_number)
        if not PHONE_RE.match(phone):
            raise rpc("PHONE_NUMBER_INVALID")
        if not req.phone_code:
            raise rpc("PHONE_CODE_EMPTY")
        code = self._pending_code(phone, req.phone_code_hash, key)
        if req.phone_code != code.code:
            raise rpc("PHONE_CODE_INVALID")
        code.used = True
        target = self.users.get(phone)
        if target is None:
            # Telethon turns this into PhoneNumberUnoccupiedError (sign-up is not allowed).
            return types.auth.AuthorizationSignUpRequired()
        if target.banned:
            raise rpc("PHONE_NUMBER_BANNED")
        return self._login(key, target)

    def _login(self, key: SimKey, target: SimUser) -> types.auth.Authorization:
        if target.password is not None:
            key.user_id = None
            key.password_pending = target.id
            raise rpc("SESSION_PASSWORD_NEEDED", 401)
        self._authorize(key, target)
        return types.auth.Authorization(user=target.to_tl())

    # ------------------------------------------------------------------ handlers: 2FA

    def _password_user(self, key: SimKey, user: SimUser | None) -> SimUser:
        if user is not None:
            return user
        if key.password_pending is not None:
            return self._users_by_id[key.password_pending]
        raise rpc(key.unauth_error, 401)

    def _on_GetPasswordRequest(self, req: Any, key: SimKey, user: SimUser | None) -> Any:  # noqa: N802
        target = self._password_user(key, user)
        new_algo = sim_srp.make_algo(target.salt1, target.salt2)
        common: dict[str, Any] = {
            "new_algo": new_algo,
            "new_secure_algo": types.SecurePasswordKdfAlgoSHA512(salt=target.salt2[:8]),
            "secure_random": self._rng.getrandbits(256).to_bytes(32, "big"),
        }
        if target.password is None:
            return types.account.Password(has_password=False, **common)
        v = sim_srp.verifier(target.password, target.salt1, target.salt2)
        challenge = sim_srp.new_challenge(v, self._rng)
        key.challenges = {challenge.srp_id: challenge}
        return types.account.Password(
            has_password=True,
            current_algo=new_algo,
            srp_B=challenge.B_bytes,
            srp_id=challenge.srp_id,
            hint=target.hint or None,
            **common,
        )

    def _on_CheckPasswordRequest(self, req: Any, key: SimKey, user: SimUser | None) -> Any:  # noqa: N802
        if key.password_pending is None:
            raise rpc(key.unauth_error, 401)
        target = self._users_by_id[key.password_pending]
        check = req.password
        if not isinstance(check, types.InputCheckPasswordSRP) or target.password is None:
            raise rpc("PASSWORD_HASH_INVALID")
        challenge = key.challenges.pop(check.srp_id, None)
        if challenge is None:
            raise rpc("SRP_ID_INVALID")
        v = sim_srp.verifier(target.password, target.salt1, target.salt2)
        if not sim_srp.check(challenge, v, target.salt1, target.salt2, check.A, check.M1):
            raise rpc("PASSWORD_HASH_INVALID")
        self._authorize(key, target)
        return types.auth.Authorization(user=target.to_tl())

    # ------------------------------------------------------------------ handlers: QR

    def _on_ExportLoginTokenRequest(self, req: Any, key: SimKey, user: SimUser | None) -> Any:  # noqa: N802
        self._check_app(req.api_id, req.api_hash)
        for token in self._tokens.values():
            if token.key_id == key.key_id and token.accepted_by is not None and not token.consumed:
                moved = self.qr_migrate(token, key)
                if moved is not None:
                    return moved
                token.consumed = True
                target = self._users_by_id[token.accepted_by]
                return types.auth.LoginTokenSuccess(authorization=self._login(key, target))
        raw = self._rng.getrandbits(256).to_bytes(32, "big")
        expires = self.clock() + self.qr_ttl
        self._tokens[raw] = LoginToken(
            token=raw, key_id=key.key_id, expires=expires, api_id=req.api_id
        )
        return types.auth.LoginToken(expires=utc(expires), token=raw)

    def _on_AcceptLoginTokenRequest(self, req: Any, key: SimKey, user: SimUser) -> Any:  # noqa: N802
        token = self._tokens.get(req.token)
        if token is None:
            raise rpc("AUTH_TOKEN_INVALID")
        if self.clock() >= token.expires:
            raise rpc("AUTH_TOKEN_EXPIRED")
        if token.accepted_by is not None:
            raise rpc("AUTH_TOKEN_ALREADY_ACCEPTED")
        new_key = self._accept_token(token, user)
        return self._authorization_of(new_key, current=False)

    # ------------------------------------------------------------------ handlers: sessions

    def _authorization_of(self, key: SimKey, *, current: bool) -> types.Authorization:
        return types.Authorization(
            hash=0 if current else key.hash,
            current=current or None,
            device_model=key.device_model or "Unknown",
            platform="",
            system_version=key.system_version,
            api_id=key.api_id,
            app_name="tgtui",
            app_version=key.app_version,
            date_created=utc(key.authorized_at or key.created),
            date_active=utc(key.active_at or key.created),
            ip="198.51.100.23",
            country="Netherlands",
            region="North Holland",
            official_app=None,
        )

    def _on_GetAuthorizationsRequest(self, req: Any, key: SimKey, user: SimUser) -> Any:  # noqa: N802
        mine = [self._authorization_of(key, current=True)]
        mine += [
            self._authorization_of(k, current=False)
            for k in self.keys.values()
            if k is not key and k.user_id == user.id and not k.fatal_error and not k.forgotten
        ]
        mine += list(user.other_sessions.values())
        return types.account.Authorizations(
            authorization_ttl_days=self.authorization_ttl_days, authorizations=mine
        )

    def _on_ResetAuthorizationRequest(self, req: Any, key: SimKey, user: SimUser) -> bool:  # noqa: N802
        if self.strict_fresh_reset and self.clock() - key.authorized_at < 86400:
            raise rpc("FRESH_RESET_AUTHORISATION_FORBIDDEN", 406)
        if req.hash in user.other_sessions:
            del user.other_sessions[req.hash]
            return True
        for other in self.keys.values():
            if other is not key and other.user_id == user.id and other.hash == req.hash:
                other.user_id = None
                other.unauth_error = "SESSION_REVOKED"
                return True
        raise rpc("HASH_INVALID")

    def _on_LogOutRequest(self, req: Any, key: SimKey, user: SimUser) -> Any:  # noqa: N802
        key.user_id = None
        key.unauth_error = "AUTH_KEY_UNREGISTERED"
        return types.auth.LoggedOut()
