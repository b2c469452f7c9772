"""The SSRF policy, and that connections only ever go to the address that was vetted."""

from __future__ import annotations

import ipaddress
import ssl
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from wirestream.publish.push.clients import OriginClients
from wirestream.publish.push.ssrf import Guard, Refused, refusal

from .receiver import Receiver


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.1.2.3", "10.0.0.7", "172.16.5.4", "192.168.1.1", "100.64.0.1",
    "169.254.169.254", "169.254.1.1", "0.0.0.0", "224.0.0.1", "240.0.0.1",
    "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2001:db8::1",
])
def test_non_public_addresses_are_refused(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


def test_metadata_is_refused_even_when_private_hosts_are_allowed() -> None:
    for address in ("169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254"):
        assert refusal(ipaddress.ip_address(address), allow_private=True) == \
            "cloud metadata address"
    assert refusal(ipaddress.ip_address("127.0.0.1"), allow_private=True) is None


def clients_for(guard: Guard, ssl_context: ssl.SSLContext | None = None) -> OriginClients:
    return OriginClients(guard, per_origin=2, connect_timeout_s=1, timeout_s=2,
                         ssl_context=ssl_context)


def fixed(*addresses: str):  # type: ignore[no-untyped-def]
    async def resolve(_host: str, _port: int) -> list[str]:
        return list(addresses)
    return resolve


async def test_urls_need_https_and_no_credentials() -> None:
    guard = Guard(resolver=fixed("93.184.216.34"))
    await guard.check("https://hooks.example.com/x")
    for url in ("http://hooks.example.com/x", "ftp://hooks.example.com/",
                "https://user:pw@hooks.example.com/", "https:///nohost", "file:///etc/passwd"):
        with pytest.raises(Refused):
            await guard.check(url)


async def test_a_name_is_refused_if_any_of_its_addresses_is_private() -> None:
    guard = Guard(resolver=fixed("93.184.216.34", "10.0.0.1"))
    with pytest.raises(Refused, match=r"10\.0\.0\.1"):
        await guard.check("https://mixed.example.com/")


async def test_real_resolution_of_localhost_is_refused() -> None:
    with pytest.raises(Refused, match="loopback"):
        await Guard().check("https://localhost/hook")


async def test_connections_go_to_the_vetted_address_only(receiver: Receiver) -> None:
    """A name re-resolved between check and connect (DNS rebinding) cannot get through."""
    answers = ["93.184.216.34"]

    async def rebinding(_host: str, _port: int) -> list[str]:
        return [answers.pop(0) if len(answers) > 1 else answers[0]]

    guard = Guard(allow_http=True, resolver=rebinding)
    url = f"http://hooks.example.com:{receiver.port}/x"
    await guard.check(url)  # public at check time
    answers[:] = ["127.0.0.1"]  # ... and loopback when the connection is made
    clients = clients_for(guard)
    try:
        with pytest.raises(Refused, match="loopback"):
            await clients.post(url, b"{}", {})
    finally:
        await clients.aclose()
    assert not receiver.received


async def test_every_new_connection_is_vetted_not_just_the_first(receiver: Receiver) -> None:
    """No DNS cache: a name that rebinds once its pooled connection is gone is refused."""
    answers = ["127.0.0.1"]

    async def resolve(_host: str, _port: int) -> list[str]:
        return list(answers)

    guard = Guard(allow_http=True, allow_private=True, resolver=resolve)
    clients = clients_for(guard)
    url = f"http://hooks.example.com:{receiver.port}/x"
    try:
        assert (await clients.post(url, b"{}", {}))[0] == 200
        await clients.aclose()  # the pooled connection goes
        answers[:] = ["169.254.169.254"]
        with pytest.raises(Refused, match="metadata"):
            await clients.post(url, b"{}", {})
    finally:
        await clients.aclose()
    assert len(receiver.received["/x"]) == 1


async def test_address_literals_are_vetted_at_send_time(receiver: Receiver) -> None:
    """aiohttp never resolves an address literal, so the guard checks it before connecting."""
    clients = clients_for(Guard(allow_http=True))
    try:
        for url in (receiver.url("/x"), f"http://[::1]:{receiver.port}/x",
                    "http://169.254.169.254/latest/meta-data/"):
            with pytest.raises(Refused):
                await clients.post(url, b"{}", {})
    finally:
        await clients.aclose()
    assert not receiver.received


async def test_http_is_refused_at_send_time_unless_allowed(receiver: Receiver) -> None:
    clients = clients_for(Guard(allow_private=True, resolver=fixed("127.0.0.1")))
    try:
        with pytest.raises(Refused, match="scheme"):
            await clients.post(f"http://hooks.example.com:{receiver.port}/x", b"{}", {})
    finally:
        await clients.aclose()
    assert not receiver.received


async def test_allowed_private_hosts_connect_by_name_with_the_vetted_address(
        receiver: Receiver) -> None:
    clients = clients_for(Guard(allow_http=True, allow_private=True, resolver=fixed("127.0.0.1")))
    try:
        status, _ = await clients.post(f"http://hooks.example.com:{receiver.port}/x", b"{}", {})
    finally:
        await clients.aclose()
    assert status == 200
    assert receiver.received["/x"][0].headers["host"] == f"hooks.example.com:{receiver.port}"


def _tls_for(name: str, tmp: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a self-signed certificate for ``name``, and a client trusting it."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=1)).not_valid_after(now + timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .sign(key, hashes.SHA256()))
    (tmp / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(tmp / "cert.pem", tmp / "key.pem")
    return server, ssl.create_default_context(cafile=str(tmp / "cert.pem"))


async def test_tls_is_verified_against_the_name_not_the_vetted_address(tmp_path: Path) -> None:
    server_tls, client_tls = _tls_for("hooks.example.com", tmp_path)
    receiver = await Receiver(tls=server_tls).start()
    clients = clients_for(Guard(allow_private=True, resolver=fixed("127.0.0.1")),
                          ssl_context=client_tls)
    try:
        status, _ = await clients.post(f"https://hooks.example.com:{receiver.port}/x", b"{}", {})
        assert status == 200
        with pytest.raises(aiohttp.ClientConnectorCertificateError, match="certificate"):
            await clients.post(f"https://other.example.com:{receiver.port}/x", b"{}", {})
        assert len(receiver.received["/x"]) == 1
    finally:
        await clients.aclose()
        await receiver.stop()
