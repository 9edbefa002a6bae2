"""Private keys as base64 DER (not PEM-wrapped) are found and redacted; the public keys and
certificates of the same key pairs stay clean. Keys are made by openssl now (never stored)."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest
from execdocs import secret_encoded, secrets
from execdocs.capture.redact import redact_streams
from hypothesis import given, settings
from hypothesis import strategies as st


def _openssl(*args: str, data: bytes | None = None) -> bytes:
    return subprocess.run(["openssl", *args], input=data, check=True,
                          capture_output=True).stdout


@pytest.fixture(scope="module")
def ders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """per algorithm: private key DERs in every form openssl writes, and public ones."""
    tmp = tmp_path_factory.mktemp("der")
    out: dict[str, dict[str, bytes]] = {}
    for alg, gen in (("rsa", ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]),
                     ("ec", ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]),
                     ("ed25519", ["-algorithm", "ed25519"])):
        pem = tmp / f"{alg}.pem"
        _openssl("genpkey", *gen, "-out", str(pem))
        key = str(pem)
        forms = {
            "pkcs8": _openssl("pkcs8", "-topk8", "-nocrypt", "-in", key, "-outform", "DER"),
            "pkcs8-encrypted": _openssl("pkcs8", "-topk8", "-in", key, "-outform", "DER",
                                        "-passout", "pass:fixture"),
            "public": _openssl("pkey", "-in", key, "-pubout", "-outform", "DER"),
            "certificate": _openssl("req", "-x509", "-key", key, "-subj", "/CN=fixture",
                                    "-days", "1", "-outform", "DER"),
        }
        if alg == "rsa":  # the "traditional" forms: PKCS#1 private and public
            forms["pkcs1"] = _openssl("rsa", "-in", key, "-traditional", "-outform", "DER")
            forms["pkcs1-public"] = _openssl("rsa", "-in", key, "-RSAPublicKey_out",
                                             "-outform", "DER")
        if alg == "ec":  # SEC1 ECPrivateKey
            forms["sec1"] = _openssl("ec", "-in", key, "-outform", "DER")
            cert = tmp / "ec.crt"
            cert.write_bytes(_openssl("req", "-x509", "-key", key, "-subj", "/CN=f", "-days", "1"))
            forms["pkcs12"] = _openssl("pkcs12", "-export", "-inkey", key, "-in", str(cert),
                                       "-passout", "pass:fixture")
        out[alg] = forms
    return out


PRIVATE = ("pkcs8", "pkcs8-encrypted", "pkcs1", "sec1", "pkcs12")
PUBLIC = ("public", "certificate", "pkcs1-public")


def _contexts(der: bytes) -> dict[str, tuple[str, str, int]]:
    """name -> (output, the base64 that must never be published, line where it is)."""
    flat = base64.b64encode(der).decode()  # base64 -w0
    wrapped = base64.encodebytes(der).decode()  # base64 (76 columns)
    return {
        "bare line": (f"{flat}\n", flat, 1),
        "wrapped": (wrapped, wrapped.splitlines()[0], 1),
        "configmap value": (f"data:\n  signing.der: {flat}\nkind: ConfigMap\n", flat, 2),
        "json": (f'{{"k": "{flat}"}}\n', flat, 1),
    }


def test_every_private_der_found_and_redacted(ders: dict[str, dict[str, bytes]]) -> None:
    failures = []
    for alg, forms in ders.items():
        for form in PRIVATE:
            if form not in forms:
                continue
            for where, (text, value, line) in _contexts(forms[form]).items():
                kinds = [(f.kind, f.line) for f in secrets.scan(text)]
                redacted, _counts = secrets.redact(text)
                if ("base64-private-key", line) not in kinds or value in redacted:
                    failures.append((alg, form, where, kinds))
    assert failures == []


def test_public_keys_and_certificates_stay_clean(ders: dict[str, dict[str, bytes]]) -> None:
    flagged = []
    for alg, forms in ders.items():
        for form in PUBLIC:
            if form not in forms:
                continue
            for where, (text, _value, _line) in _contexts(forms[form]).items():
                if secrets.scan(text) or secrets.redact(text)[0] != text:
                    flagged.append((alg, form, where))
    assert flagged == []


def test_capture_writes_no_der_key(ders: dict[str, dict[str, bytes]]) -> None:
    flat = base64.b64encode(ders["ed25519"]["pkcs8"]).decode()
    out = redact_streams(f"{flat}\n".encode(), b"", "cat key.der.b64")
    assert flat.encode() not in out.stdout and out.left == []
    assert out.stdout == b"<REDACTED:base64-private-key#1>\n"


def test_a_truncated_der_key_still_counts(ders: dict[str, dict[str, bytes]]) -> None:
    # a key cut short (a log line truncated, a paste that lost its end) is still key material
    der = ders["rsa"]["pkcs1"]
    assert secret_encoded.private_key_der(der[: len(der) // 2])
    assert secret_encoded.private_key_der(ders["rsa"]["pkcs8"][:200])


def test_openssh_private_key_body_without_armour(tmp_path: Path) -> None:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "k")],
                   check=True)
    body = "".join(ln for ln in (tmp_path / "k").read_text().splitlines()
                   if not ln.startswith("-----"))
    public = (tmp_path / "k.pub").read_text()  # ssh-ed25519 AAAA... : public
    assert [f.kind for f in secrets.scan(f"key: {body}\n")] == ["base64-private-key"]
    assert secrets.scan(public) == []


@pytest.mark.parametrize("blob", [
    bytes(48),                           # zeros
    b"\x30\x03\x02\x01\x05",             # SEQUENCE { INTEGER 5 }
    b"\x30\x06\x02\x01\x00\x02\x01\x07",  # {0, 7}: two integers, no key
    b"\x30\x80" + bytes(40),             # indefinite length (not DER)
    b"\x30\x84\xff\xff\xff\xff\x02",     # a length past the end
])
def test_other_der_shapes_are_no_key(blob: bytes) -> None:
    assert not secret_encoded.private_key_der(blob)


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_PIECES = st.one_of(st.text(alphabet=_B64, max_size=90),
                    st.sampled_from(["\n", "\r\n", " ", "\n  ", "=", "==", "-", "_", ".", ":",
                                     '"', "é", "한", "\udcff"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(_PIECES, max_size=10).map("".join))
def test_blob_search_finds_what_the_pattern_finds(text: str) -> None:
    # blobs() only tries the pattern where a run of 32 starts: never fewer or other matches
    assert ([m.span() for m in secret_encoded.blobs(text)]
            == [m.span() for m in secret_encoded.BASE64.finditer(text)])


def test_the_short_last_line_of_a_wrapped_blob_is_redacted_with_it() -> None:
    # `base64 ./token` (a red team, 2026-12-04): a k3s token's base64 wrapped at 76, its last
    # 24 characters alone on a line, which no rule saw (neither line alone is a token)
    import base64

    token = "K10" + "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2::s:1\n"
    wrapped = base64.encodebytes(token.encode()).decode()
    first, last = wrapped.split()
    assert len(first) == 76 and len(last) < 32
    text = f"$ base64 ./token\n{wrapped}$ echo next\n"
    out = secrets.redact(text)[0]
    assert first not in out and last not in out and "$ echo next" in out
