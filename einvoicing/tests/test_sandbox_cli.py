"""``python -m einvoicing sandbox``: serves on loopback, demo organisations, loopback only."""

import re
import threading
import time

import requests

from einvoicing.cli import build_parser
from einvoicing.cli.sandbox import run


def test_cli_serves_and_stops(tmp_path, capsys):
    args = build_parser().parse_args(["sandbox", "--port", "0", "--data", str(tmp_path),
                                      "--demo-orgs", "--admin-token", "adm"])
    stop = threading.Event()
    codes = []
    thread = threading.Thread(target=lambda: codes.append(run(args, stop_event=stop)))
    thread.start()
    try:
        deadline, out = time.monotonic() + 30, ""
        while "admin API" not in out and time.monotonic() < deadline:
            time.sleep(0.05)
            out += capsys.readouterr().out
        url = re.search(r"Sandbox platform on (http://127\.0\.0\.1:\d+)", out).group(1)
        assert requests.get(f"{url}/flow-service/v1/healthcheck", timeout=5).status_code == 200
        token = requests.post(f"{url}/auth/token", timeout=5, data={
            "grant_type": "client_credentials", "client_id": "seller",
            "client_secret": "seller-secret"})
        assert token.status_code == 200
        orgs = requests.get(f"{url}/sandbox/admin/organizations", timeout=5,
                            headers={"X-Sandbox-Admin-Token": "adm"}).json()
        assert {o["org_id"]: o["scenario"] for o in orgs} == {"seller": None, "buyer": "pay"}
    finally:
        stop.set()
        thread.join(timeout=15)
    assert codes == [0]


def test_cli_refuses_a_non_loopback_host(tmp_path, capsys):
    args = build_parser().parse_args(["sandbox", "--host", "0.0.0.0", "--data", str(tmp_path)])
    assert run(args) == 2
    assert "not a loopback address" in capsys.readouterr().out
