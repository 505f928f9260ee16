"""``SandboxServer``: the sandbox platform as a real HTTP server on the loopback interface."""

import secrets
import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from ..errors import InputError
from .app import DIRECTORY, FLOW, SandboxApp
from .platform import Platform
from .webhooks import Sender

LOOPBACK = ("127.0.0.1", "localhost", "::1")
_warm = threading.Lock()
_warmed = []


def warm_up():
    """Compile the validation stylesheets once per process, before the first request.

    The first validation compiles the official schematrons (seconds); a client
    with a short read timeout would otherwise see its first submit time out.
    """
    with _warm:
        if _warmed:
            return
        from ..invoice.samples import sample_invoice
        from ..lifecycle.cdar import StatusMessage, build_cdar
        from ..syntax import to_cii
        from ..validation import validate, validate_cdar

        invoice = sample_invoice()
        validate(to_cii(invoice), filename="warm-up.xml")
        validate_cdar(build_cdar(StatusMessage(
            status_code=200, invoice_number=invoice.number, invoice_date=invoice.issue_date,
            seller_siren=invoice.seller.siren, buyer_siren=invoice.buyer.siren,
            issuer_role="platform")))
        _warmed.append(True)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class _InFlight:
    """WSGI wrapper counting the requests being processed, so stop() can wait for them."""

    def __init__(self, app):
        self.app = app
        self._count = 0
        self._idle = threading.Condition()

    def __call__(self, environ, start_response):
        with self._idle:
            self._count += 1
        try:
            # The body is produced here, so the request is finished when we return.
            return list(self.app(environ, start_response))
        finally:
            with self._idle:
                self._count -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout):
        with self._idle:
            return self._idle.wait_for(lambda: self._count == 0, timeout=timeout)


class SandboxServer:
    """Start/stop a sandbox over ``data_dir`` (SQLite); ``port=0`` picks a free port.

    ``admin_token``: token of the ``/sandbox/admin`` API (random when None; give
    ``""`` to disable the admin API). ``.platform`` is the Python façade.
    """

    def __init__(self, data_dir, host="127.0.0.1", port=0, admin_token=None, **options):
        if host not in LOOPBACK:
            raise InputError(f"host {host!r} is not a loopback address: the sandbox only "
                             f"listens on {', '.join(LOOPBACK)}.", code="sandbox_not_loopback")
        self.data_dir, self.host, self.port = data_dir, host, port
        self.admin_token = secrets.token_urlsafe(24) if admin_token is None else admin_token
        self.platform = Platform(data_dir, **options)
        self._server = self._thread = self._sender = None

    def start(self):
        warm_up()
        app = _InFlight(SandboxApp(self.platform, self.admin_token or None))
        self._in_flight = app
        self._server = make_server(self.host, self.port, app, threaded=True,
                                   request_handler=_QuietHandler)
        self.port = self._server.server_port
        self._sender = Sender(self.platform.store)
        self.platform.on_change = self._sender.wake.set
        self._sender.start()
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="sandbox-http", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=10)
            # Requests still running (e.g. a "timeout" fault sleeping before it
            # answers) finish before the store closes under them.
            self._in_flight.wait_idle(timeout=30)
            self._sender.stop()
            self._server = None
        self.platform.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def flow_url(self):
        return self.url + FLOW.rsplit("/v1", 1)[0]

    @property
    def directory_url(self):
        return self.url + DIRECTORY.rsplit("/v1", 1)[0]

    @property
    def token_url(self):
        return self.url + "/auth/token"

    @property
    def qonto_url(self):
        """Base URL of the emulated Qonto API (``/v2/...`` below it)."""
        return self.url + "/qonto"

    @property
    def acube_url(self):
        """Base URL of the emulated A-Cube API (``/invoices`` below it)."""
        return self.url + "/acube"

    @property
    def acube_login_url(self):
        return self.url + "/acube/login"
