"""Shared fixtures of the host-free suite.

``sandbox``: one SandboxServer per test session, really listening on loopback,
with two French organisations (the sample seller and buyer). Tests sharing it
use unique trackingIds and invoice numbers (see ``unique``).
"""

import uuid

import pytest

SELLER_ORG = "ORG-SELLER"
BUYER_ORG = "ORG-BUYER"
SELLER_CLIENT = ("seller-client", "seller-secret-0123456789")
BUYER_CLIENT = ("buyer-client", "buyer-secret-0123456789")


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory):
    """A running sandbox platform (real HTTP on 127.0.0.1, SQLite in a temp dir)."""
    from einvoicing.invoice.samples import BUYER, SELLER
    from einvoicing.sandbox import SandboxServer

    server = SandboxServer(tmp_path_factory.mktemp("sandbox"))
    server.start()
    platform = server.platform
    platform.add_organization(SELLER_ORG, SELLER["siren"], SELLER["name"], *SELLER_CLIENT,
                              siret=SELLER["siret"])
    platform.add_organization(BUYER_ORG, BUYER["siren"], BUYER["name"], *BUYER_CLIENT,
                              siret=BUYER["siret"])
    yield server
    server.stop()


@pytest.fixture
def unique():
    """A short unique suffix for trackingIds and invoice numbers."""
    return uuid.uuid4().hex[:10].upper()
