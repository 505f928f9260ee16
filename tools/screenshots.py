# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Screenshots of static/description/ (English and French), taken on the demo server.

    bash tools/odoo_demo.sh &        # the demo database, served on 127.0.0.1:8069
    python tools/screenshots.py [--url http://127.0.0.1:8069] [--db l10n_fr_einvoice_pa_demo]

Drives headless Chromium (``--chromium``, /usr/bin/chromium by default) through the
DevTools protocol with websocket-client, at a 1366 px wide laptop window, and saves
palette PNGs (Pillow). Not run by CI: rerun it after a UI change, on the demo data.
"""

import argparse
import base64
import io
import itertools
import json
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import requests
import websocket
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "description"
WIDTH, HEIGHT = 1366, 768
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1"]
READY = ("!document.querySelector('.o_loading_indicator, .o_blockUI') && "
         "document.readyState === 'complete'")


class Browser:
    """One headless Chromium page, driven over the DevTools websocket."""

    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="l10n_fr_pa_shots_")
        port = _free_port()
        self.proc = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={self.profile}",
             f"--remote-debugging-port={port}", f"--window-size={WIDTH},{HEIGHT}",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.ws = websocket.create_connection(_page_ws(port), timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)
        self.call("Page.enable")
        self.resize(HEIGHT)

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.profile, ignore_errors=True)

    def call(self, method, **params):
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def resize(self, height):
        self.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=height,
                  deviceScaleFactor=1, mobile=False)

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait(self, expression, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.js(f"!!({expression}) && {READY}"):
                time.sleep(0.6)  # let the last rendering and fonts settle
                return
            time.sleep(0.25)
        raise TimeoutError(expression)

    def click(self, selector):
        self.wait(f"document.querySelector({json.dumps(selector)})")
        self.js(f"document.querySelector({json.dumps(selector)}).click()")

    def goto(self, url, ready):
        self.call("Page.navigate", url=url)
        time.sleep(0.5)
        self.wait(ready)

    def shot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        img = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
        img = img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        img.save(path, optimize=True)
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KiB")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _page_ws(port):
    for _i in range(100):
        try:
            pages = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=2).json()
            return next(p["webSocketDebuggerUrl"] for p in pages if p["type"] == "page")
        except (requests.ConnectionError, StopIteration):
            time.sleep(0.2)
    raise RuntimeError("Chromium did not start")


class Odoo:
    """JSON-RPC session of the demo user."""

    def __init__(self, url, db, login, password):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        info = self._post("/web/session/authenticate",
                          {"db": db, "login": login, "password": password})
        self.uid = info["uid"]

    def _post(self, path, params):
        resp = self.session.post(self.url + path, json={"jsonrpc": "2.0", "params": params},
                                 timeout=120)
        resp.raise_for_status()
        body = resp.json()
        if body.get("error"):
            raise RuntimeError(body["error"]["data"]["message"])
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(f"/web/dataset/call_kw/{model}/{method}",
                          {"model": model, "method": method, "args": list(args),
                           "kwargs": kwargs})

    def first(self, model, domain, order="id desc"):
        ids = self.call(model, "search", domain, limit=1, order=order)
        if not ids:
            raise LookupError(f"no {model} matching {domain}: run tools/odoo_demo.sh first")
        return ids[0]

    @property
    def cookie(self):
        return self.session.cookies["session_id"]


def take_all(browser, odoo, suffix):
    """Every screen, in the user's current language; files end with ``suffix``."""
    base = odoo.url
    invoices = "action-account.action_move_out_invoice_type"
    bills = "action-account.action_move_in_invoice_type"
    form_ready = "document.querySelector('.o_form_view .o_form_sheet')"
    refused = odoo.first("account.move", [("l10n_fr_pa_badge", "=", "rejected")])
    paid = odoo.first("account.move", [("l10n_fr_pa_badge", "=", "paid")], order="id")
    unsent = odoo.first("account.move", [("move_type", "=", "out_invoice"),
                                         ("state", "=", "posted"),
                                         ("l10n_fr_pa_state", "=", "not_sent")])
    bill = odoo.first("account.move", [("move_type", "=", "in_invoice"),
                                       ("l10n_fr_pa_state", "=", "received")])
    dispute = odoo.first("l10n_fr_pa.action", [("key", "=", "dispute")])
    out = {}

    browser.goto(f"{base}/odoo/{invoices}", "document.querySelector('.o_list_view .o_data_row')")
    out["invoices_list"] = _save(browser, "invoices_list", suffix)
    # The form: box at the top, the timeline tab open below it (a taller window).
    browser.resize(1000)
    for name, move in (("invoice_paid", paid), ("invoice_rejected", refused)):
        browser.goto(f"{base}/odoo/{invoices}/{move}", form_ready)
        browser.click("a[name='l10n_fr_pa_events']")
        browser.wait("document.querySelector('.o_notebook .tab-pane.active .o_data_row')")
        out[name] = _save(browser, name, suffix)
    browser.resize(HEIGHT)
    browser.goto(f"{base}/odoo/{invoices}/{unsent}", form_ready)
    browser.click("button[name='action_invoice_sent']")
    browser.wait("document.querySelector('.modal .o_form_view')")
    out["send_and_print"] = _save(browser, "send_and_print", suffix)

    browser.resize(1000)
    browser.goto(f"{base}/odoo/settings#account", "document.querySelector("
                 "'[name=action_l10n_fr_pa_open_diagnostics]')")
    # Our block's title is the heading just before its settings container.
    browser.js("document.querySelector('[name=action_l10n_fr_pa_open_diagnostics]')"
               ".closest('.o_settings_container').previousElementSibling"
               ".scrollIntoView({block: 'start'})")
    time.sleep(0.8)
    out["settings"] = _save(browser, "settings", suffix)
    browser.click("button[name='action_l10n_fr_pa_open_diagnostics']")
    browser.wait("document.querySelector('.o_form_view [name=action_check_invoice], "
                 ".modal .o_form_view')")
    out["diagnostics"] = _save(browser, "diagnostics", suffix)

    browser.resize(HEIGHT)
    browser.goto(f"{base}/odoo/action-l10n_fr_einvoice_pa.action_l10n_fr_pa_inbound",
                 "document.querySelector('.o_list_view .o_data_row')")
    out["received"] = _save(browser, "received", suffix)
    browser.goto(f"{base}/odoo/{bills}/{bill}", form_ready)
    browser.click("button[name='action_l10n_fr_pa_change_status']")
    browser.click(f".modal input.o_radio_input[data-value='{dispute}']")
    browser.wait("document.querySelector('.modal [name=reason_id]')")
    out["bill_dispute"] = _save(browser, "bill_dispute", suffix)
    return out


def _save(browser, name, suffix):
    path = OUT / f"screenshot_{name}{suffix}.png"
    browser.shot(path)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="l10n_fr_einvoice_pa_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    odoo = Odoo(args.url, args.db, args.login, args.password)
    lang_before = odoo.call("res.users", "read", [odoo.uid], ["lang"])[0]["lang"]
    browser = Browser(args.chromium)
    host = args.url.split("//", 1)[1].split(":", 1)[0].split("/", 1)[0]
    try:
        for lang, suffix in (("en_US", ""), ("fr_FR", "_fr")):
            odoo.call("res.users", "write", [odoo.uid], {"lang": lang})
            # the session keeps the language of its login: log in again
            odoo = Odoo(args.url, args.db, args.login, args.password)
            browser.call("Network.setCookie", name="session_id", value=odoo.cookie,
                         domain=host, path="/")
            take_all(browser, odoo, suffix)
    finally:
        odoo.call("res.users", "write", [odoo.uid], {"lang": lang_before})
        browser.close()
    total = sum(p.stat().st_size for p in OUT.glob("screenshot_*.png"))
    print(f"total: {total // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
