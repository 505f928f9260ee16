"""``python -m einvoicing sandbox``: run the local sandbox platform until Ctrl-C."""

import argparse
import secrets
import threading

DEMO_ORGS = (
    ("seller", "123456782", "Atelier Durand SARL", "12345678200010", None),
    ("buyer", "987654324", "Boulangerie Martin SAS", "98765432400019", "pay"),
)


def register(subparsers):
    parser = subparsers.add_parser(
        "sandbox", help="run a local accredited platform (AFNOR API) on the loopback interface",
        description="Serve the AFNOR Flow and Directory services, an OAuth2 token endpoint and "
                    "the /sandbox/admin API on 127.0.0.1. Data persists in --data.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="loopback address (default %(default)s)")
    parser.add_argument("--port", type=int, default=8380, help="port (default %(default)s)")
    parser.add_argument("--data", default="sandbox-data", help="data directory (SQLite)")
    parser.add_argument("--admin-token", default=None,
                        help="token of the admin API (default: random, printed)")
    parser.add_argument("--demo-orgs", action="store_true",
                        help="create two demo organisations (seller, buyer) if absent")
    parser.set_defaults(func=run)
    return parser


def _demo_orgs(platform):
    known = {org["org_id"] for org in platform.organizations()}
    lines = []
    for org_id, siren, name, siret, scenario in DEMO_ORGS:
        secret = f"{org_id}-secret"
        if org_id not in known:
            platform.add_organization(org_id, siren, name, client_id=org_id,
                                      client_secret=secret, siret=siret, scenario=scenario)
        lines.append(f"  organisation {org_id}: SIREN {siren}, client_id={org_id}, "
                     f"client_secret={secret}, scenario={scenario}")
    return lines


def run(args: argparse.Namespace, stop_event=None):
    from ..errors import InputError
    from ..sandbox import SandboxServer

    token = args.admin_token or secrets.token_urlsafe(24)
    try:
        server = SandboxServer(args.data, host=args.host, port=args.port, admin_token=token)
    except InputError as exc:
        print(f"error: {exc}")
        return 2
    server.start()
    lines = _demo_orgs(server.platform) if args.demo_orgs else []
    print(f"Sandbox platform on {server.url} (data in {args.data})\n"
          f"  flow service:      {server.flow_url}\n"
          f"  directory service: {server.directory_url}\n"
          f"  OAuth2 token:      {server.token_url}\n"
          f"  admin API:         {server.url}/sandbox/admin  "
          f"(header X-Sandbox-Admin-Token: {token})", *lines, sep="\n", flush=True)
    stop_event = stop_event or threading.Event()
    try:
        stop_event.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
