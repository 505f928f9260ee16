# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo data of ``tools/odoo_demo.sh``: creates only what is missing (idempotent).

    python tools/odoo_demo_data.py --sandbox-url URL --admin-token TOKEN -- ODOO_ARGS...

ODOO_ARGS are odoo-bin's options (database, addons path, ...). The script registers the
demo organisations on the running sandbox platform (admin API), then, in the database:
a French company (French chart of accounts, SIREN/SIRET, bank account) whose platform
connection points at the sandbox, customers whose simulated answers differ (approve, pay,
refuse, dispute, silent), suppliers, posted invoices sent to the platform and synchronised,
and vendor bills the suppliers sent through the platform. Its own cursor is committed
after each step that the platform sees (a tool script, not business code). Not part of
the addon: users never get these records.
"""

import argparse
import logging
import sys
from datetime import timedelta

import requests
from stdnum import luhn

_logger = logging.getLogger("odoo_demo_data")

COMPANY = {
    "org_id": "ORG-ATELIER", "siren": "123456782", "siret": "12345678200010",
    "name": "Atelier Durand SARL", "street": "12 rue des Tanneurs",
    "zip": "75011", "city": "Paris", "client_id": "atelier-client",
    "client_secret": "atelier-secret", "iban": "FR7630006000011234567890189",
}
# (org id, SIREN, name, street, zip, city, scenario of the simulated buyer)
CUSTOMERS = (
    ("ORG-MARTIN", "987654324", "Boulangerie Martin SAS", "3 place du Marché", "69002",
     "Lyon", "pay:2"),
    ("ORG-LIBRAIRIE", "412345670", "Librairie Dupont SA", "8 cours Victor Hugo", "33000",
     "Bordeaux", "approve"),
    ("ORG-GARAGE", "523456788", "Garage Lefèvre SARL", "21 route de Paris", "44000",
     "Nantes", "refuse"),
    ("ORG-HOTEL", "634567895", "Hôtel du Parc SAS", "1 promenade des Anglais", "06000",
     "Nice", "dispute"),
    ("ORG-PHARMA", "745678904", "Pharmacie Roux", "5 rue Nationale", "59000", "Lille",
     "silent"),
)
# (org id, SIREN, name, street, zip, city, [numbers of the bills they send us])
SUPPLIERS = (
    ("ORG-PAPETERIE", "856789011", "Papeterie Moreau SAS", "40 rue du Commerce", "67000",
     "Strasbourg", ["PM-2026-0412", "PM-2026-0457"]),
    ("ORG-TRANSPORTS", "311223341", "Transports Girard SARL", "2 zone des Chênes", "31000",
     "Toulouse", ["TG-26-118"]),
)
# (customer org, customer reference, [(line, price)], days ago)
INVOICES = (
    ("ORG-MARTIN", "DEMO-001", [("Four à pain - maintenance annuelle", 1800.0)], 20),
    ("ORG-LIBRAIRIE", "DEMO-002", [("Étagères en chêne sur mesure", 2400.0),
                                   ("Pose", 350.0)], 15),
    ("ORG-GARAGE", "DEMO-003", [("Établi d'atelier", 980.0)], 12),
    ("ORG-HOTEL", "DEMO-004", [("Tables de restaurant (x12)", 5400.0)], 8),
    ("ORG-PHARMA", "DEMO-005", [("Comptoir en noyer", 3150.0)], 3),
    ("ORG-MARTIN", "DEMO-006", [("Vitrine réfrigérée - réparation", 640.0)], 1),
)
SYNCS = 4  # enough for every scenario above to reach its last status


class Sandbox:
    """The running sandbox platform, through its admin API."""

    def __init__(self, url, admin_token):
        self.url = url.rstrip("/")
        self.headers = {"X-Sandbox-Admin-Token": admin_token}

    def organizations(self):
        resp = requests.get(f"{self.url}/sandbox/admin/organizations",
                            headers=self.headers, timeout=30)
        resp.raise_for_status()
        return {org["org_id"] for org in resp.json() if org.get("org_id")}

    def add_organization(self, **org):
        resp = requests.post(f"{self.url}/sandbox/admin/organizations", json=org,
                             headers=self.headers, timeout=30)
        resp.raise_for_status()


def org_client_id(org_id):
    return f"{org_id.lower()}-client"


def register_organizations(sandbox):
    """Our company, customers and suppliers as sandbox organisations; returns how many new."""
    known = sandbox.organizations()
    wanted = [{"org_id": COMPANY["org_id"], "siren": COMPANY["siren"], "name": COMPANY["name"],
                   "siret": COMPANY["siret"], "client_id": COMPANY["client_id"],
                   "client_secret": COMPANY["client_secret"]}]
    for org_id, siren, name, *_rest, scenario in CUSTOMERS:
        wanted.append({"org_id": org_id, "siren": siren, "name": name, "scenario": scenario,
                           "client_id": org_client_id(org_id), "client_secret": f"{org_id}-secret"})
    for org_id, siren, name, *_rest in SUPPLIERS:
        wanted.append({"org_id": org_id, "siren": siren, "name": name,
                           "client_id": org_client_id(org_id), "client_secret": f"{org_id}-secret"})
    new = [org for org in wanted if org["org_id"] not in known]
    for org in new:
        sandbox.add_organization(**org)
    return len(new)


def setup_company(env, sandbox_url):
    """The main company, made French: chart of accounts, identifiers, bank, connection."""
    company = env.ref("base.main_company")
    company.write({
        "name": COMPANY["name"], "company_registry": COMPANY["siren"],
        "siret": COMPANY["siret"], "vat": vat_of(COMPANY["siren"]), "street": COMPANY["street"],
        "zip": COMPANY["zip"], "city": COMPANY["city"], "country_id": env.ref("base.fr").id,
        "currency_id": env.ref("base.EUR").id, "email": "compta@atelier-durand.example",
    })
    setup_ui(env, company)
    if company.chart_template != "fr":
        env["account.chart.template"].try_loading("fr", company, install_demo=False)
    setup_bank(env, company)
    return company, setup_connection(env, company, sandbox_url)


def setup_ui(env, company):
    """English and French; a document layout, else Send opens the layout wizard first."""
    if not env["res.lang"]._lang_get("en_US"):
        # A database created with --load-language=fr_FR has French only: English back,
        # and the demo user in English (the screenshots switch between both).
        env["res.lang"]._activate_lang("en_US")
        env.ref("base.user_admin").lang = "en_US"
    if not company.external_report_layout_id:
        company.external_report_layout_id = env.ref("web.external_layout_standard")
    if env["res.lang"]._lang_get("fr_FR"):
        # The addon's French from i18n/fr.po, overwriting what an older version left.
        env["ir.module.module"].search(
            [("name", "=", "l10n_fr_einvoice_pa")])._update_translations(["fr_FR"], overwrite=True)


def setup_connection(env, company, sandbox_url):
    """The company's platform connection, pointing at the sandbox (its port may change)."""
    connection = env["l10n_fr_pa.connection"].search([("company_id", "=", company.id)], limit=1)
    values = {
        "company_id": company.id, "environment": "sandbox",
        "flow_url": f"{sandbox_url}/flow-service",
        "directory_url": f"{sandbox_url}/directory-service",
        "token_url": f"{sandbox_url}/auth/token", "client_id": COMPANY["client_id"],
        "client_secret": COMPANY["client_secret"], "organization_id": COMPANY["org_id"],
    }
    if connection:
        changed = {key: value for key, value in values.items()
                   if key != "company_id" and connection[key] != value}
        if changed:
            connection.write(changed)
        return connection
    return env["l10n_fr_pa.connection"].create(values)


def setup_bank(env, company):
    bank = env["res.partner.bank"].search([("acc_number", "=", COMPANY["iban"])], limit=1)
    if not bank:
        bank = env["res.partner.bank"].create({
            "acc_number": COMPANY["iban"], "partner_id": company.partner_id.id,
            "allow_out_payment": True,
        })
    journal = env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "bank")], limit=1)
    if journal and not journal.bank_account_id:
        journal.bank_account_id = bank
    return bank


def ensure_partner(env, siren, name, street, zipcode, city, customer=True):
    partner = env["res.partner"].search([("company_registry", "=", siren)], limit=1)
    if partner:
        return partner
    values = {"name": name, "is_company": True, "company_registry": siren,
              "siret": siret_of(siren), "vat": vat_of(siren), "street": street,
              "zip": zipcode, "city": city, "country_id": env.ref("base.fr").id,
              "email": f"compta@{name.split()[-2].lower()}.example"}
    if customer:
        values["invoice_sending_method"] = "l10n_fr_pa"
    return env["res.partner"].create(values)


def siret_of(siren):
    """The head office SIRET: SIREN, NIC 0001 and the Luhn check digit."""
    body = f"{siren}0001"
    return body + luhn.calc_check_digit(body)


def vat_of(siren):
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def sale_tax(env, company):
    return env["account.tax"].search([
        ("company_id", "=", company.id), ("type_tax_use", "=", "sale"),
        ("amount_type", "=", "percent"), ("amount", "=", 20.0), ("price_include", "=", False),
    ], limit=1)


def create_invoices(env, company, partners):
    """Posted customer invoices not there yet (by customer reference); returns the new ones."""
    moves = env["account.move"]
    tax = sale_tax(env, company)
    today = env.cr.now().date()
    for org_id, ref, lines, days in INVOICES:
        if env["account.move"].search_count([("ref", "=", ref), ("company_id", "=", company.id)]):
            continue
        move = env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partners[org_id].id, "ref": ref,
            "invoice_date": today - timedelta(days=days),
            "invoice_line_ids": [(0, 0, {"name": name, "quantity": 1, "price_unit": price,
                                         "tax_ids": [(6, 0, tax.ids)]})
                                 for name, price in lines],
        })
        move.action_post()
        moves |= move
    return moves


def send_invoices(env, company, commit):
    """Send the posted invoices the platform has not got yet, except the last (to show)."""
    moves = env["account.move"].search([
        ("company_id", "=", company.id), ("move_type", "=", "out_invoice"),
        ("state", "=", "posted"), ("l10n_fr_pa_state", "=", "not_sent"),
        ("ref", "in", [ref for _org, ref, _lines, _days in INVOICES[:-1]]),
    ], order="invoice_date, id")
    for move in moves:
        move.action_l10n_fr_pa_send()
        commit()  # the platform has it now: never roll it back
    return moves


def send_bills(env, company, sandbox_url):
    """Suppliers submit their invoices to our company through the platform (once each)."""
    from odoo.addons.l10n_fr_einvoice_pa.einvoicing import facturx
    from odoo.addons.l10n_fr_einvoice_pa.einvoicing.afnor import (
        FlowClient,
        OAuth2ClientCredentials,
    )
    from odoo.addons.l10n_fr_einvoice_pa.einvoicing.invoice import samples
    from odoo.addons.l10n_fr_einvoice_pa.einvoicing.syntax import cii

    buyer = {"name": COMPANY["name"], "siren": COMPANY["siren"], "siret": COMPANY["siret"],
             "vat_number": vat_of(COMPANY["siren"]), "electronic_address": COMPANY["siren"],
             "address": {"line1": COMPANY["street"], "postcode": COMPANY["zip"],
                         "city": COMPANY["city"], "country_code": "FR"}}
    today = env.cr.now().date()
    sent = 0
    for org_id, siren, name, street, zipcode, city, bills in SUPPLIERS:
        seller = {"name": name, "siren": siren, "siret": siret_of(siren),
                  "vat_number": vat_of(siren), "electronic_address": siren,
                  "address": {"line1": street, "postcode": zipcode, "city": city,
                              "country_code": "FR"}}
        auth = OAuth2ClientCredentials(f"{sandbox_url}/auth/token", org_client_id(org_id),
                                       f"{org_id}-secret")
        client = FlowClient(f"{sandbox_url}/flow-service", auth, organization_id=org_id)
        for i, number in enumerate(bills):
            if env["account.move"].search_count([("ref", "=", number)]):
                continue
            invoice = samples.sample_invoice(seller=seller, buyer=dict(buyer), number=number,
                                             issue_date=today - timedelta(days=10 - 4 * i))
            content = facturx.embed(cii.to_cii(invoice))
            # the tracking id makes a second submission return the first flow
            client.submit_flow(content, f"{number}.pdf", "Factur-X", f"demo-{number}")
            sent += 1
    return sent


def synchronise(env, connection, commit, times=SYNCS):
    sync = env["l10n_fr_pa.synchronizer"]
    for _i in range(times):
        sync._sync_connection(connection)
        commit()


def build(env, sandbox_url, commit):
    """Everything, idempotent; returns a summary dict. ``commit`` is called after each
    step the platform sees (the cursor's commit; a no-op in tests)."""
    company, connection = setup_company(env, sandbox_url)
    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    partners = {org_id: ensure_partner(env, siren, name, street, zipcode, city)
                for org_id, siren, name, street, zipcode, city, _scenario in CUSTOMERS}
    for org_id, siren, name, street, zipcode, city, _bills in SUPPLIERS:
        partners[org_id] = ensure_partner(env, siren, name, street, zipcode, city, False)
    new_invoices = create_invoices(env, company, partners)
    commit()
    sent = send_invoices(env, company, commit)
    bills = send_bills(env, company, sandbox_url)
    if sent or bills:
        synchronise(env, connection, commit)
    moves = env["account.move"].search([("company_id", "=", company.id)])
    return {
        "company": company.name, "new_invoices": len(new_invoices), "sent": len(sent),
        "bills_sent": bills,
        "invoices": len(moves.filtered(lambda m: m.move_type == "out_invoice")),
        "bills": len(moves.filtered(lambda m: m.move_type == "in_invoice")),
        "badges": sorted(b for b in moves.mapped("l10n_fr_pa_badge") if b),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sandbox-url", required=True)
    parser.add_argument("--admin-token", required=True)
    parser.add_argument("odoo_args", nargs="*", help="odoo-bin options, after --")
    args = parser.parse_args(argv)
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(args.odoo_args)
    new_orgs = register_organizations(Sandbox(args.sandbox_url, args.admin_token))
    db = odoo.tools.config["db_name"]
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
        summary = build(env, args.sandbox_url.rstrip("/"), cr.commit)
        cr.commit()
    print(f"demo data: {new_orgs} new sandbox organisations; {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
