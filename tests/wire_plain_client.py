"""A plain Telethon script, no tgtui code: log in by code, then by QR, to the server at
HOST PORT whose RSA public key is in KEY_FILE. Reads the login code from stdin.

Usage: python wire_plain_client.py HOST PORT KEY_FILE API_ID API_HASH PHONE PASSWORD DIR
"""

import asyncio
import base64
import sys

from telethon import TelegramClient, errors
from telethon.crypto import rsa
from telethon.tl import functions


def client(path, api_id, api_hash, host, port):
    c = TelegramClient(path, api_id, api_hash, connection_retries=1, timeout=5)
    c.session.set_dc(2, host, port)
    return c


async def main(host, port, key_file, api_id, api_hash, phone, password, folder):
    with open(key_file) as handle:
        rsa.add_key(handle.read(), old=False)

    phone_app = client(f"{folder}/by-code", api_id, api_hash, host, port)
    await phone_app.connect()
    await phone_app.send_code_request(phone)
    print("CODE?", flush=True)
    code = sys.stdin.readline().strip()
    try:
        await phone_app.sign_in(phone, code)
    except errors.SessionPasswordNeededError:
        await phone_app.sign_in(password=password)
    print("CODE-LOGIN", (await phone_app.get_me()).username, flush=True)

    desk = client(f"{folder}/by-qr", api_id, api_hash, host, port)
    await desk.connect()
    qr = await desk.qr_login()
    token = qr.url.split("token=", 1)[1]
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    await phone_app(functions.auth.AcceptLoginTokenRequest(raw))  # "scan" it
    try:
        await qr.wait(10)
    except errors.SessionPasswordNeededError:
        await desk.sign_in(password=password)
    print("QR-LOGIN", (await desk.get_me()).username, flush=True)
    await desk.disconnect()
    await phone_app.disconnect()


if __name__ == "__main__":
    h, p, key, api_id, api_hash, ph, pw, d = sys.argv[1:9]
    asyncio.run(main(h, int(p), key, int(api_id), api_hash, ph, pw, d))
