# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The webhook controller over real HTTP: good calls wake the sync, everything else is a 4xx."""

import json
import time

from odoo.tests import HttpCase, tagged

from ..einvoicing.webhook_signature import afnor_signature
from ..einvoicing.webhook_signature import sandbox_signature as sign
from ..models.l10n_fr_pa_webhook import MAX_BODY_BYTES
from .common_sync import SyncCommon

SECRET = "webhook-signing-key-0123456789"


@tagged("post_install", "-at_install")
class TestWebhook(SyncCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connection.sudo().webhook_secret = SECRET
        cls.cron = cls.env.ref("l10n_fr_einvoice_pa.ir_cron_l10n_fr_pa_sync")

    def url(self, token=None):
        conn = self.connection.sudo()
        return f"/l10n_fr_pa/webhook/{conn.id}/{token or conn.webhook_token}"

    def post(self, body, url=None, signature=True, stamp=None, headers=None):
        body = body if isinstance(body, bytes) else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if signature:
            all_headers["X-Sandbox-Signature"] = sign(SECRET, body, stamp or int(time.time()))
        return self.url_open(url or self.url(), data=body, headers=all_headers)

    def state(self):
        """What a refused call must not change."""
        return (self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]),
                self.env["l10n_fr_pa.webhook.notification"].sudo().search_count([]),
                self.Event.search_count([]))

    def test_good_call_triggers_ingestion(self):
        move = self.new_invoice()
        flow = self.put_on_platform(move, "approve")
        triggers = self.state()[0]
        response = self.post({"flowId": flow["flowId"], "updatedAt": flow.get("updatedAt")})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["status"], "accepted")
        self.assertEqual(self.state()[0], triggers + 1, "the sync cron was not triggered")
        self.run_cron()  # what the triggered cron does
        self.assertTrue(move.l10n_fr_pa_event_ids)
        # the same notification delivered again (other bytes, so another signature):
        # idempotent, no new trigger
        again = self.post(json.dumps(
            {"updatedAt": flow.get("updatedAt"), "flowId": flow["flowId"]}, indent=1).encode())
        self.assertEqual(again.json()["status"], "duplicate")
        self.assertEqual(self.state()[0], triggers + 1)

    def test_afnor_signature_accepted(self):
        body = json.dumps({"flowId": "afnor-signed"}).encode()
        stamp = int(time.time())
        response = self.post(body, signature=False, headers={
            "Afnor-Signature": afnor_signature(SECRET, body, stamp),
            "Afnor-Signature-Timestamp": str(stamp),
        })
        self.assertEqual(response.status_code, 200, response.text)

    def assertRefused(self, response, status, before):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(self.state(), before, "a refused call changed something")

    def test_refusals_are_4xx_and_change_nothing(self):
        good = {"flowId": "f-1"}
        before = self.state()
        self.assertRefused(self.post(good, url=self.url("not-the-token")), 403, before)
        self.assertRefused(self.post(good, url="/l10n_fr_pa/webhook/999999/x"), 403, before)
        self.assertRefused(self.post(good, signature=False), 401, before)
        self.assertRefused(self.post(good, headers={"X-Sandbox-Signature": "t=1,v1=zz"},
                                     signature=False), 401, before)
        body = json.dumps(good).encode()
        forged = sign("another-key", body, int(time.time()))
        self.assertRefused(self.post(body, signature=False,
                                     headers={"X-Sandbox-Signature": forged}), 401, before)
        self.assertRefused(self.post(good, stamp=int(time.time()) - 3600), 401, before)
        self.assertRefused(self.post(b"{not json", signature=True), 400, before)
        self.assertRefused(self.post(b"[1, 2]"), 400, before)
        self.assertRefused(self.post({"flowId": 12}), 400, before)
        self.assertRefused(self.post(b"x" * (MAX_BODY_BYTES + 10)), 413, before)

    def test_replay_acknowledged_and_changes_nothing(self):
        # Soak finding: the sandbox's duplicate mode (as a platform that did not get our
        # answer) sends the very same delivery again; a 409 made it retry until it
        # counted the webhook as failed. A replay is a duplicate: 200, nothing changes.
        body = json.dumps({"flowId": "f-replay"}).encode()
        header = {"X-Sandbox-Signature": sign(SECRET, body, int(time.time()))}
        first = self.post(body, signature=False, headers=header)
        self.assertEqual(first.status_code, 200, first.text)
        before = self.state()
        again = self.post(body, signature=False, headers=header)
        self.assertEqual(again.status_code, 200, again.text)
        self.assertEqual(again.json()["status"], "duplicate")
        self.assertEqual(self.state(), before, "a replay changed something")

    # Found by tools/fuzz.py: each was a 503 or an HTML answer before.
    def test_fuzz_regressions_are_json_4xx(self):
        before = self.state()
        body = json.dumps({"flowId": "f-fuzz"}).encode()
        for stamp in (10**400, -(10**400)):  # was OverflowError -> 503
            huge = {"X-Sandbox-Signature": f"t={stamp},v1={'0' * 64}"}
            self.assertRefused(self.post(body, signature=False, headers=huge), 401, before)
            self.assertRefused(self.post(body, signature=False, headers={
                "Afnor-Signature": "x", "Afnor-Signature-Timestamp": str(stamp)}), 401, before)
        # NUL characters reached PostgreSQL, which refused them: 503
        for nul in ({"flowId": "f\u0000"}, {"flowId": "f-nul", "updatedAt": "\u202e\u0000"}):
            self.assertRefused(self.post(nul), 400, before)
        # form bodies were parsed by Odoo first: non-UTF-8 or too large gave werkzeug's HTML 413
        for form in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for data in (b"\xff\xfe\x00", b'{"flowId": "\xc3"}', b"x" * (MAX_BODY_BYTES + 10)):
                response = self.post(data, headers={"Content-Type": form})
                self.assertRefused(response, 415, before)
                self.assertEqual(response.json(), {"error": "body must be JSON"})

    def test_repeats_of_a_notification_are_claimed_once(self):
        """The first delivery holds the key (unique per company); repeats are kept without it."""
        Notification = self.env["l10n_fr_pa.webhook.notification"].sudo()
        values = {"company_id": self.company.id, "flow_id": "f-claim", "signature": "sig-1"}
        self.assertTrue(Notification._claim_first(values, "f-claim|t1"))
        # what a concurrent worker meets once the first one committed: the unique key
        self.assertFalse(Notification._claim_first(dict(values, signature="sig-2"), "f-claim|t1"))
        for number, stamp in enumerate((0, 1, 2)):
            body = json.dumps({"flowId": "f-claim", "updatedAt": "t1"}, indent=number).encode()
            response = self.post(body, stamp=int(time.time()) - stamp)
            self.assertEqual(response.json()["status"], "duplicate", response.text)
        rows = Notification.search([("flow_id", "=", "f-claim")])
        self.assertEqual(len(rows), 4)
        self.assertEqual(rows.filtered("notification_key").mapped("notification_key"),
                         ["f-claim|t1"])
