"""The Python façade over the sandbox platform (used by tests, the demo and the admin API)."""

import json

from ..errors import InputError
from ..identifiers import validate_siren, validate_siret
from .auth import register_client
from .faults import Faults
from .flows import flow_json
from .simulator import parse_scenario
from .store import Store

DEFAULT_MAX_UPLOAD = 100 * 1024 * 1024  # the spec's "Max size = 100 MB"


class Platform:
    """Organisations, directory, scenarios, faults and switches of one sandbox."""

    def __init__(self, data_dir, max_upload_bytes=DEFAULT_MAX_UPLOAD):
        self.store = Store(data_dir)
        self.faults = Faults()
        self.max_upload_bytes = max_upload_bytes
        self.on_change = None  # set by the server: wakes the webhook sender

    def close(self):
        self.store.close()

    # -- organisations and directory -------------------------------------------------
    def add_organization(self, org_id, siren, name, client_id, client_secret, scenario=None,
                         siret=None, electronic_address=None, reachable=True, routing_codes=()):
        """Create an organisation with its OAuth client, directory entry and scenario."""
        for field, value in (("org_id", org_id), ("name", name), ("client_id", client_id),
                             ("client_secret", client_secret)):
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"Organization {field} is {value!r}; give a non-blank string.",
                                 code="sandbox_bad_organization", field=field)
        self._put_company(siren, name, siret, electronic_address, reachable, routing_codes,
                          org_id=org_id, scenario=scenario, client=(client_id, client_secret))

    def add_directory_entry(self, siren, name, siret=None, electronic_address=None,
                            reachable=True, routing_codes=()):
        """A company known to the directory but not an organisation of this platform."""
        self._put_company(siren, name, siret, electronic_address, reachable, routing_codes)

    def _put_company(self, siren, name, siret, address, reachable, routing_codes,
                     org_id=None, scenario=None, client=None):
        siren = validate_siren(siren, field="siren")
        siret = validate_siret(siret, siren=siren, field="siret") if siret else None
        parse_scenario(scenario)
        codes = [dict(rc) if isinstance(rc, dict) else {"routingIdentifier": str(rc)}
                 for rc in routing_codes]
        with self.store.tx() as conn:
            taken = conn.execute("SELECT org_id FROM companies WHERE siren = ? OR "
                                 "(org_id IS NOT NULL AND org_id = ?)", (siren, org_id)).fetchone()
            if taken is not None:
                raise InputError(f"SIREN {siren} or organization {org_id!r} is already "
                                 "registered on this sandbox.", code="sandbox_duplicate_company",
                                 siren=siren)
            conn.execute("INSERT INTO companies VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (siren, org_id, name, siret, address or siren, int(bool(reachable)),
                          json.dumps(codes), scenario))
            if client:
                try:
                    register_client(conn, client[0], client[1], org_id)
                except ValueError as exc:
                    raise InputError(str(exc), code="sandbox_client_secret_mismatch") from exc

    def organizations(self):
        return [dict(r) for r in self.store.query(
            "SELECT siren, org_id, name, siret, electronic_address, reachable, scenario "
            "FROM companies ORDER BY siren")]

    def _company(self, siren_or_org):
        row = self.store.one("SELECT siren FROM companies WHERE siren = ? OR org_id = ?",
                             (siren_or_org, siren_or_org))
        if row is None:
            raise InputError(f"{siren_or_org!r} is neither a SIREN nor an organization id of "
                             "this sandbox.", code="sandbox_unknown_company")
        return row["siren"]

    def set_scenario(self, buyer_siren_or_org, scenario):
        """Scenario played by the simulated recipient for invoices sent to this buyer."""
        parse_scenario(scenario)
        siren = self._company(buyer_siren_or_org)
        with self.store.tx() as conn:
            conn.execute("UPDATE companies SET scenario = ? WHERE siren = ?", (scenario, siren))

    def set_reachable(self, siren_or_org, reachable):
        siren = self._company(siren_or_org)
        with self.store.tx() as conn:
            conn.execute("UPDATE companies SET reachable = ? WHERE siren = ?",
                         (int(bool(reachable)), siren))

    def set_electronic_address(self, siren_or_org, address):
        """Move the company's directory line to another addressing identifier (as when it
        changes platform)."""
        siren = self._company(siren_or_org)
        with self.store.tx() as conn:
            conn.execute("UPDATE companies SET electronic_address = ? WHERE siren = ?",
                         (address, siren))

    # -- switches --------------------------------------------------------------------
    def inject_fault(self, kind, count=1, **opts):
        """Arm a fault for the next ``count`` API calls (see :mod:`.faults`)."""
        self.faults.inject(kind, count, **opts)

    def clear_faults(self):
        self.faults.clear()

    def set_webhook_mode(self, duplicate=False, shuffle=False):
        self.store.set_setting("webhook_mode", {"duplicate": bool(duplicate),
                                                "shuffle": bool(shuffle)})

    def set_webhook_retry_delays(self, delays):
        if not delays or any(not isinstance(d, (int, float)) or d < 0 for d in delays):
            raise InputError(f"Webhook retry delays {delays!r}: give a non-empty list of "
                             "seconds >= 0.", code="sandbox_bad_setting")
        self.store.set_setting("webhook_retry_delays", list(delays))

    def allow_remote_webhooks(self, allowed=True):
        self.store.set_setting("allow_remote_webhooks", bool(allowed))

    def set_token_ttl(self, seconds):
        if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds < 1:
            raise InputError(f"Token TTL {seconds!r}: give whole seconds >= 1.",
                             code="sandbox_bad_setting")
        self.store.set_setting("token_ttl", seconds)

    def revoke_tokens(self, client_id=None):
        with self.store.tx() as conn:
            if client_id is None:
                conn.execute("DELETE FROM tokens")
            else:
                conn.execute("DELETE FROM tokens WHERE client_id = ?", (client_id,))

    # -- inspection ------------------------------------------------------------------
    def flows(self, org_id=None):
        """Every stored flow (of one organisation), oldest first, for assertions."""
        sql = "SELECT * FROM flows" + (" WHERE org_id = ?" if org_id else "") + " ORDER BY seq"
        result = []
        for row in self.store.query(sql, (org_id,) if org_id else ()):
            item = flow_json(row)
            item.update(orgId=row["org_id"], statusCode=row["status_code"],
                        invoiceNumber=row["invoice_number"], sellerSiren=row["seller_siren"],
                        buyerSiren=row["buyer_siren"])
            result.append(item)
        return result

    def deliveries(self):
        return [dict(r, body=json.loads(r["body"])) for r in self.store.query(
            "SELECT id, webhook_id, flow_id, body, attempts, state, last_error "
            "FROM deliveries ORDER BY id")]

    def sync_count(self, org_id):
        row = self.store.one("SELECT count FROM syncs WHERE org_id = ?", (org_id,))
        return row["count"] if row else 0
