"""Amazon SNS message signatures, verified in pure Python (no crypto library needed).

SNS signs each message with RSA (PKCS #1 v1.5, SHA-1 for SignatureVersion 1, SHA-256 for 2)
and names the signing certificate by URL. The URL must be HTTPS on an ``sns.<region>.amazonaws.com``
host, so an attacker cannot point us at a certificate of their own; TLS then vouches for it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.parse
import urllib.request

SNS_HOST = re.compile(r"^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$")
DIGEST_INFO = {  # the DER prefix of PKCS #1 v1.5 DigestInfo for each hash
    "sha1": bytes.fromhex("3021300906052b0e03021a05000414"),
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
}
NOTIFICATION_KEYS = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
CONFIRMATION_KEYS = (
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
)

_certificates: dict[str, tuple[int, int]] = {}


class InvalidSignature(Exception):
    pass


def is_sns_url(url: str, *, pem: bool = False) -> bool:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return False
    if parts.scheme != "https" or not SNS_HOST.match(parts.hostname or "") or parts.port:
        return False
    return parts.path.endswith(".pem") if pem else True


def https_get(url: str) -> bytes:
    """GET a URL already checked by ``is_sns_url`` (certificates, subscription confirmations)."""
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - https only
        return response.read(65536)


def _der(data: bytes, offset: int = 0) -> tuple[int, bytes, int]:
    """One DER element at offset: (tag, content, offset after it)."""
    tag = data[offset]
    length = data[offset + 1]
    offset += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[offset : offset + count], "big")
        offset += count
    return tag, data[offset : offset + length], offset + length


def _children(content: bytes) -> list[tuple[int, bytes]]:
    items, offset = [], 0
    while offset < len(content):
        tag, value, offset = _der(content, offset)
        items.append((tag, value))
    return items


def public_key_from_pem(pem: bytes) -> tuple[int, int]:
    """The RSA (modulus, exponent) of an X.509 certificate in PEM."""
    body = b"".join(
        line for line in pem.strip().splitlines() if line and not line.startswith(b"-----")
    )
    _, certificate, _ = _der(base64.b64decode(body))
    _, tbs = _children(certificate)[0]
    fields = _children(tbs)
    if fields[0][0] == 0xA0:  # [0] version
        fields = fields[1:]
    _, key_info = fields[5]  # serial, signature, issuer, validity, subject, subjectPublicKeyInfo
    _, bit_string = _children(key_info)[1]
    _, rsa_key, _ = _der(bit_string[1:])  # skip the unused-bits byte
    modulus, exponent = (int.from_bytes(value, "big") for _, value in _children(rsa_key))
    return modulus, exponent


def rsa_verify(message: bytes, signature: bytes, key: tuple[int, int], hash_name: str) -> bool:
    modulus, exponent = key
    size = (modulus.bit_length() + 7) // 8
    if len(signature) != size:
        return False
    decrypted = pow(int.from_bytes(signature, "big"), exponent, modulus).to_bytes(size, "big")
    digest = DIGEST_INFO[hash_name] + hashlib.new(hash_name, message).digest()
    expected = b"\x00\x01" + b"\xff" * (size - len(digest) - 3) + b"\x00" + digest
    return decrypted == expected


def string_to_sign(message: dict) -> bytes:
    keys = NOTIFICATION_KEYS if message.get("Type") == "Notification" else CONFIRMATION_KEYS
    return "".join(
        f"{key}\n{message[key]}\n" for key in keys if message.get(key) is not None
    ).encode()


def verify(message: dict) -> None:
    """Raise InvalidSignature unless the SNS message is signed by an SNS certificate."""
    url = message.get("SigningCertURL") or message.get("SigningCertUrl") or ""
    if not isinstance(url, str) or not is_sns_url(url, pem=True):
        raise InvalidSignature("the certificate is not on an SNS host")
    hash_name = {"1": "sha1", "2": "sha256"}.get(str(message.get("SignatureVersion")))
    if hash_name is None:
        raise InvalidSignature("unknown signature version")
    try:
        signature = base64.b64decode(message.get("Signature") or "", validate=True)
    except ValueError as error:
        raise InvalidSignature("the signature is not base64") from error
    if url not in _certificates:
        try:
            _certificates[url] = public_key_from_pem(https_get(url))
        except (OSError, ValueError, IndexError) as error:
            raise InvalidSignature(f"cannot read the certificate: {error}") from error
    if not rsa_verify(string_to_sign(message), signature, _certificates[url], hash_name):
        raise InvalidSignature("the signature does not match")
