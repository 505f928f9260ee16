"""A local accredited platform (PA) speaking the AFNOR XP Z12-013 API, for demos and tests.

See README.md beside this file: endpoints, admin API, webhook signature, scenarios.
"""

from .app import create_app
from .server import SandboxServer
