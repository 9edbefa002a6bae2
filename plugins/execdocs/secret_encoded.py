"""Encoded secrets: base64 blobs opened and looked into.

A base64 blob is one run of 32 or more base64 characters (possibly wrapped at a fixed width,
as ``base64(1)`` prints it). Decoded, it may be

* text (a kubeconfig, a docker config, a PEM file, an env file): the caller scans the text with
  every rule, and a secret inside makes the whole blob one (kind ``base64-<inner kind>``);
* a private key in binary form (:func:`private_key_der`): DER PKCS#8 (also encrypted),
  PKCS#1 RSA and "traditional" DSA, SEC1 EC, a PKCS#12 keystore, or an OpenSSH private key's
  binary body -- ``openssl pkcs8 -outform DER | base64 -w0`` prints one, and so does a Java or
  Go program logging its key. Recognised by the DER structure, not by decoding the key, so a
  truncated key counts too. Public keys (SubjectPublicKeyInfo, PKCS#1 RSAPublicKey) and
  certificates have other shapes and stay clean.
"""

from __future__ import annotations

import base64
import binascii
import re
import string
from collections.abc import Iterator

BASE64 = re.compile(r"(?<![A-Za-z0-9+/=_-])(?:[A-Za-z0-9+/]{60,}={0,2}\r?\n[ \t]*)*"
                    r"[A-Za-z0-9+/]{32,}={0,2}(?![A-Za-z0-9+/=_-])")

# Every byte of the base64 alphabet -> "a", anything else -> " ": a blob then starts where a
# run of 32 "a" starts (translate and find run in C; a regex tried at every position, BASE64
# itself or a{32,}, costs ~50x more on JSON full of paths, measured in bench/README.md).
_B64 = string.ascii_letters + string.digits + "+/"
_CLASS = bytearray(b" " * 256)
for _c in _B64.encode():
    _CLASS[_c] = ord("a")
_ALPHABET = bytes(_CLASS)
_RUN = b"a" * 32


def may_hold_blob(raw: bytes) -> bool:
    """Whether ``raw`` (a text as UTF-8, lower-cased or not) has a run of 32 base64
    characters (else :data:`BASE64` cannot match in it)."""
    return _RUN in raw.translate(_ALPHABET)


def blobs(text: str) -> Iterator[re.Match[str]]:
    """Every match of :data:`BASE64` in ``text``, the same as ``BASE64.finditer`` yields, but
    tried only where a run of 32 base64 characters starts (a match can start nowhere else)."""
    # The classes are found in the UTF-8 bytes (every base64 character is ASCII, every other
    # character only bytes >= 0x80 there, lone surrogates too with surrogatepass), where
    # bytes.translate runs in C with no per-character lookup; str.translate with a table that
    # maps every other character would call back into Python for each one (Korean prose:
    # ~1 M calls per MB). A run's byte offset becomes a character offset by counting the
    # characters of the bytes since the previous run, once for the whole text.
    ascii_only = text.isascii()
    raw = text.encode("ascii") if ascii_only else text.encode("utf-8", "surrogatepass")
    classes = raw.translate(_ALPHABET)
    pos = covered = 0
    byte_at = char_at = 0  # a byte offset already converted, and its character offset
    while (start := classes.find(_RUN, pos)) != -1:
        stop = classes.find(b" ", start)
        pos = len(classes) if stop == -1 else stop
        if not ascii_only:
            char_at += len(raw[byte_at:start].decode("utf-8", "surrogatepass"))
            byte_at, start = start, char_at
        if start < covered:  # inside the previous blob (a wrapped one's later line)
            continue
        m = BASE64.match(text, start)
        if m is not None:
            covered = m.end()
            yield m


# the short last line of a blob base64(1) wrapped (its lines 60 or more wide): alone on its line
_TAIL = re.compile(r"\r?\n[ \t]*([A-Za-z0-9+/]{1,59}={0,2})[ \t]*(?=\r?\n|$)")


def tail_end(text: str, blob: re.Match[str]) -> int:
    """Where ``blob`` ends with the short last line of its wrapping, when the line after it is
    one (``base64 FILE`` prints a token's last characters on a line of their own); else its
    end. Only after a line as wide as the wrapping's."""
    last = blob.group().rsplit("\n", 1)[-1].strip()
    if len(last) < 60 or "=" in last:
        return blob.end()
    m = _TAIL.match(text, blob.end())
    return m.end(1) if m else blob.end()


_BLANKS = re.compile(r"\s+")  # hot paths use compiled patterns: re's own cache can evict
_HEX = re.compile(r"[0-9a-fA-F]+")


def decode(blob: str) -> bytes | None:
    """The bytes of a :data:`BASE64` match, or None (a hex digest, not base64 at all)."""
    compact = _BLANKS.sub("", blob)
    if _HEX.fullmatch(compact):  # a digest or a container id, not base64
        return None
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


def as_text(raw: bytes) -> str | None:
    """``raw`` as text when it is UTF-8 and (nearly all) printable, else None; gzip data is
    opened first (k0s' join tokens, Helm's release data: base64 of a gzipped text), up to
    1 MB of it."""
    if raw[:2] == b"\x1f\x8b":
        raw = _gunzip(raw)
    try:
        text = raw.decode("utf-8")
    except ValueError:
        return None
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    return text if text and printable >= 0.95 * len(text) else None


def _gunzip(raw: bytes, most: int = 1_000_000) -> bytes:
    """What the gzip data ``raw`` holds, its first ``most`` bytes (a cut-short blob: what
    decompresses before the cut); ``raw`` itself when it is not gzip after all."""
    import zlib

    try:
        return zlib.decompressobj(wbits=31).decompress(raw, most)
    except zlib.error:
        return raw


_SEQUENCE, _INTEGER, _OCTETS, _OID = 0x30, 0x02, 0x04, 0x06
_RSADSI = bytes.fromhex("2a864886f70d01")  # 1.2.840.113549.1 (PKCS)
# password-based encryption schemes of an EncryptedPrivateKeyInfo: PKCS#5 (.5.x, PBES2 among
# them) and PKCS#12 (.12.1.x)
_PBE = (_RSADSI + b"\x05", _RSADSI + b"\x0c\x01")


def _items(data: bytes, start: int, end: int, limit: int = 4) -> list[tuple[int, int, int]]:
    """(tag, content start, content end) of up to ``limit`` DER items in ``data[start:end]``;
    an item cut short by the end of the data (a truncated key) ends there."""
    out: list[tuple[int, int, int]] = []
    pos = start
    while pos + 2 <= end and len(out) < limit:
        tag, size = data[pos], data[pos + 1]
        pos += 2
        if size & 0x80:
            width = size & 0x7F
            if not 0 < width <= 4 or pos + width > end:
                break
            size = int.from_bytes(data[pos:pos + width], "big")
            pos += width
        out.append((tag, pos, min(pos + size, end)))
        pos += size
    return out


def private_key_der(raw: bytes) -> bool:
    """Whether ``raw`` is a private key in binary form (the shapes in the module doc)."""
    if raw.startswith(b"openssh-key-v1\x00"):
        return True
    outer = _items(raw, 0, len(raw), 1)
    if not outer or outer[0][0] != _SEQUENCE:
        return False
    kids = _items(raw, outer[0][1], outer[0][2], 6)
    tags = [k[0] for k in kids]

    def integer(i: int) -> int | None:
        tag, start, end = kids[i]
        return int.from_bytes(raw[start:end], "big") if tag == _INTEGER and end - start <= 2 \
            else None

    if len(kids) >= 2 and tags[0] == _SEQUENCE and tags[1] == _OCTETS:
        # EncryptedPrivateKeyInfo: {AlgorithmIdentifier of a PBE scheme, encrypted key}
        alg = _items(raw, kids[0][1], kids[0][2], 1)
        return bool(alg) and alg[0][0] == _OID and raw[alg[0][1]:alg[0][2]].startswith(_PBE)
    if len(kids) < 2 or tags[0] != _INTEGER:
        return False
    version = integer(0)
    if version in (0, 1) and len(kids) >= 3 and tags[1:3] == [_SEQUENCE, _OCTETS]:
        return True  # PKCS#8 PrivateKeyInfo / OneAsymmetricKey: {version, algorithm, key}
    if version == 0 and len(kids) >= 3 and all(t == _INTEGER for t in tags):
        return True  # PKCS#1 RSAPrivateKey {0, n, e, d, ...}, DSA {0, p, q, g, y, x}
    if version == 1 and tags[1] == _OCTETS:
        return True  # SEC1 ECPrivateKey {1, private key, [0] curve, [1] public key}
    return version == 3 and tags[1] == _SEQUENCE  # PKCS#12 PFX {3, authSafe, macData}


def armour_body(text: str, start: int, end: int) -> tuple[int, int]:
    """A ``-----BEGIN ...-----`` block found whole narrowed to its body, so that its BEGIN and
    END lines stay readable (as the private-key rule keeps them)."""
    if not text.startswith("-----BEGIN", start):
        return start, end
    head = text.find("-----", start + 10, end)
    tail = text.rfind("-----END", head, end)
    if head == -1 or tail == -1:
        return start, end
    start, end = head + 5, tail
    while start < end and (text[start].isspace() or text.startswith(("\\n", "\\r"), start)):
        start += 1 if text[start].isspace() else 2
    return start, end
