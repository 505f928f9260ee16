"""Helpers of the sandbox tests: a private sandbox per test, raw HTTP calls."""

import json
import re

import requests

from einvoicing.invoice.samples import BUYER, SELLER

SELLER_ORG, BUYER_ORG = "seller", "buyer"
SELLER_CLIENT = ("seller-app", "seller-secret")
BUYER_CLIENT = ("buyer-app", "buyer-secret")
ADMIN = "admin-token-for-tests"


def start_sandbox(data_dir, buyer_scenario=None, **options):
    """A running sandbox with the sample seller and buyer as organisations."""
    from einvoicing.sandbox import SandboxServer

    server = SandboxServer(data_dir, admin_token=ADMIN, **options).start()
    if not server.platform.organizations():
        server.platform.add_organization(SELLER_ORG, SELLER["siren"], SELLER["name"],
                                         *SELLER_CLIENT, siret=SELLER["siret"])
        server.platform.add_organization(BUYER_ORG, BUYER["siren"], BUYER["name"],
                                         *BUYER_CLIENT, siret=BUYER["siret"],
                                         scenario=buyer_scenario)
    return server


def token(server, client=SELLER_CLIENT):
    answer = requests.post(server.token_url, data={"grant_type": "client_credentials",
                                                   "client_id": client[0],
                                                   "client_secret": client[1]}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


class Api:
    """Raw calls to one sandbox as one organisation (no client library in between)."""

    def __init__(self, server, client=SELLER_CLIENT, org=None):
        self.server = server
        self.headers = {"Authorization": f"Bearer {token(server, client)}"}
        if org:
            self.headers["Organization-Id"] = org

    def submit(self, content, name, syntax="CII", tracking_id=None, **info):
        info = {"flowSyntax": syntax, "name": name, **info}
        if tracking_id:
            info["trackingId"] = tracking_id
        mime = "application/pdf" if syntax == "Factur-X" else "application/xml"
        return requests.post(f"{self.server.flow_url}/v1/flows", headers=self.headers,
                             files={"flowInfo": (None, json.dumps(info), "application/json"),
                                    "file": (name, content, mime)}, timeout=30)

    def search(self, where=None, **body):
        body = {"where": where or {"flowDirection": ["In", "Out"]}, **body}
        answer = requests.post(f"{self.server.flow_url}/v1/flows/search", json=body,
                               headers=self.headers, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def get(self, flow_id, doc_type=None):
        params = {"docType": doc_type} if doc_type else None
        return requests.get(f"{self.server.flow_url}/v1/flows/{flow_id}", params=params,
                            headers=self.headers, timeout=30)

    def status_codes(self, where=None):
        """Status codes of the CDAR flows seen by one sync (one search), in order."""
        return [cdar_status(self.get(f["flowId"], "Original").content)
                for f in self.search(where or {"flowType": ["CustomerInvoiceLC",
                                                            "SupplierInvoiceLC"]},
                                     limit=100)["results"]]


def cdar_status(xml):
    from einvoicing.lifecycle.cdar import parse_cdar

    return parse_cdar(xml).status_code


def invoice_xml(number, **overrides):
    from einvoicing.invoice.samples import sample_invoice
    from einvoicing.syntax import to_cii

    return to_cii(sample_invoice(number=number, **overrides))


def broken_invoice_xml(number):
    """A readable CII invoice whose grand total breaks EN16931 BR-CO-15."""
    xml = invoice_xml(number).decode("utf-8")
    broken = re.sub(r"(<ram:GrandTotalAmount>)([0-9.]+)", r"\g<1>999999.99", xml, count=1)
    assert broken != xml
    return broken.encode("utf-8")
