"""`python -m tgtui.telegram.sim serve`, used by a plain Telethon script (no tgtui code)."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

from wire_support import TEST_KEY

PLAIN_CLIENT = Path(__file__).parent / "wire_plain_client.py"


async def _line(stream: asyncio.StreamReader, prefix: str, seen: list[str]) -> str:
    while True:
        raw = await asyncio.wait_for(stream.readline(), 30)
        if not raw:
            raise AssertionError(f"no {prefix!r} line; got {seen}")
        line = raw.decode().strip()
        seen.append(line)
        if line.startswith(prefix):
            return line


async def test_a_plain_telethon_script_logs_in_by_code_and_by_qr(tmp_path: Path) -> None:
    key = tmp_path / "server.pem"
    shutil.copy(TEST_KEY, key)
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tgtui.telegram.sim",
        "serve",
        "--key",
        str(key),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert server.stdout is not None
    printed: list[str] = []
    try:
        dc2 = await _line(server.stdout, "dc 2 ", printed)
        app = await _line(server.stdout, "app ", printed)
        await _line(server.stdout, "ready", printed)
        _dc, _n, address, _label, key_file = dc2.split()
        host, port = address.rsplit(":", 1)
        assert Path(key_file).read_text().startswith("-----BEGIN RSA PUBLIC KEY-----")
        _app, api_id, api_hash = app.split()
        client = await asyncio.create_subprocess_exec(
            sys.executable,
            str(PLAIN_CLIENT),
            host,
            port,
            key_file,
            api_id,
            api_hash,
            "+15550004444",
            "secret",
            str(tmp_path),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert client.stdout is not None and client.stdin is not None
        said: list[str] = []
        await _line(client.stdout, "CODE?", said)
        code_line = await _line(server.stdout, "code +15550004444 ", printed)
        client.stdin.write(code_line.split()[-1].encode() + b"\n")
        await client.stdin.drain()
        out, err = await asyncio.wait_for(client.communicate(), 60)
        text = "\n".join(said) + out.decode()
        assert client.returncode == 0, (text, err.decode()[-2000:])
        assert "CODE-LOGIN dora" in text and "QR-LOGIN dora" in text
    finally:
        server.terminate()
        await server.wait()
