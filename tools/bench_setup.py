# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shared set-up of the Odoo benchmarks (not a test): a French seller, a buyer, invoices.

Executed by ``tools/bench_sync.py`` and ``tools/bench_send.py`` (run in ``odoo-bin shell``,
which gives scripts no ``__file__``). :func:`prepare` COMMITS the seller, the buyer and the
posted invoices it creates, so that later runs reuse them: use a throw-away database.
"""

SELLER_SIREN, SELLER_SIRET = "732829320", "73282932000074"
BUYER_SIREN, BUYER_SIRET = "552100554", "55210055400013"
SELLER_ORG, BUYER_ORG = "ORG-SELLER", "ORG-BUYER"


def french_seller(env):
    """The current company, made a French seller with a SIREN (rolled back later)."""
    company = env.company
    company.write({
        "name": "Seller SA", "company_registry": SELLER_SIREN, "siret": SELLER_SIRET,
        "vat": "FR44732829320", "street": "1 rue de la Paix", "zip": "75002",
        "city": "Paris", "country_id": env.ref("base.fr").id,
    })
    return company


def buyer(env):
    return env["res.partner"].create({
        "name": "Buyer SARL", "is_company": True, "company_registry": BUYER_SIREN,
        "siret": BUYER_SIRET, "vat": "FR96552100554", "street": "2 avenue des Champs",
        "zip": "69001", "city": "Lyon", "country_id": env.ref("base.fr").id,
    })


def sale_tax(env, company, rate=20.0):
    tax = env["account.tax"].search([
        ("company_id", "=", company.id), ("type_tax_use", "=", "sale"),
        ("amount_type", "=", "percent"), ("amount", "=", rate),
        ("price_include", "=", False)], limit=1)
    return tax or env["account.tax"].create({
        "name": f"TVA {rate}%", "amount": rate, "amount_type": "percent",
        "type_tax_use": "sale", "company_id": company.id})


def prepare(env, count, chunk=10):
    """(company, buyer, ``count`` posted invoices of the buyer), created once and committed."""
    company = env.company
    if company.company_registry != SELLER_SIREN:
        french_seller(env)
    partner = env["res.partner"].search([("company_registry", "=", BUYER_SIREN)], limit=1)
    partner = partner or buyer(env)
    env.cr.commit()
    domain = [("company_id", "=", company.id), ("move_type", "=", "out_invoice"),
              ("state", "=", "posted"), ("partner_id", "=", partner.id)]
    Move = env["account.move"]
    while (missing := count - Move.search_count(domain)) > 0:
        posted_invoices(env, company, partner, min(chunk, missing))
        env.cr.commit()
        env.invalidate_all()
    return company, partner, Move.search(domain, order="id", limit=count)


def posted_invoices(env, company, partner, count, lines=1):
    """``count`` posted customer invoices of ``lines`` lines each (20 % VAT)."""
    tax = sale_tax(env, company)
    moves = env["account.move"].create([{
        "move_type": "out_invoice", "partner_id": partner.id,
        "invoice_date": "2026-09-15",
        "invoice_line_ids": [(0, 0, {
            "name": f"Consulting {n}-{i}", "quantity": 1, "price_unit": 100.0 * i + n % 97,
            "tax_ids": [(6, 0, tax.ids)]}) for i in range(1, lines + 1)],
    } for n in range(count)])
    moves.action_post()
    return moves
