"""What a screen or a command may use of a login flow, as typing Protocols.

`LoginFlow` (tgtui.telegram.flow) is the implementation against Telegram; the wizard's
snapshot tests drive a scripted stand-in. Both are checked against these Protocols (by
mypy and by tests/test_flow_protocol.py), so the stand-in cannot drift from the real flow.
Add a member here when the UI or the CLI starts to use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tgtui.accounts import Account, Proxy, Server
    from tgtui.failure import Failure
    from tgtui.telegram.context import Telegram
    from tgtui.telegram.flow import CodeInfo, QrInfo, Step


class LoginSteps(Protocol):
    """A login in progress: its state, and one coroutine per thing the user can do."""

    name: str
    step: Step
    error: Failure | None
    code: CodeInfo | None
    qr: QrInfo | None
    password_hint: str
    account: Account | None
    warnings: list[str]
    phone: str | None

    async def set_credentials(self, api_id: str | int, api_hash: str) -> None:
        """Check and keep the api_id and api_hash; on to the phone step."""
        ...

    async def send_code(self, phone: str) -> None:
        """Ask Telegram to send a login code to `phone`; on to the code step."""
        ...

    async def resend_code(self) -> None:
        """Ask for the code again (Telegram may pick another way to send it)."""
        ...

    async def sign_in_code(self, code: str) -> None:
        """Log in with the code; on to the password step or done."""
        ...

    async def start_qr(self) -> None:
        """Log in by QR code instead: show a token to scan."""
        ...

    async def wait_qr(self, timeout: float | None = None) -> bool:
        """Wait for the QR code to be scanned; True once it was."""
        ...

    async def sign_in_password(self, password: str) -> None:
        """Finish a login that needs the two-step verification password."""
        ...

    async def back(self) -> None:
        """Go one step back (to the phone step from the code, QR or password step)."""
        ...

    async def cancel(self) -> None:
        """Give up: nothing of the login is left behind."""
        ...


class LoginFlowFactory(Protocol):
    """How a screen or a command starts a login (`LoginFlow` itself, or a stand-in)."""

    def __call__(
        self,
        tg: Telegram,
        *,
        name: str,
        label: str = "",
        relogin: Account | None = None,
        on_change: Callable[[LoginSteps], None] | None = None,
        proxy: Proxy | None = None,
        proxy_secret: str | None = None,
        server: Server | None = None,
        auto_name: bool = False,
    ) -> LoginSteps:
        """A new login for account `name`."""
        ...
