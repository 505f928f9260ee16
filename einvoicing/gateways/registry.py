"""The platform APIs the host can choose, and the settings each one needs.

``SETTINGS`` is what a host form shows per API (and nothing else);
:func:`make_gateway` builds a ready gateway from those settings.
"""

from ..afnor.errors import AfnorError

# API key -> (label, settings it needs, settings it may use)
SETTINGS = {
    "afnor": ("AFNOR XP Z12-013 standard",
              ("flow_url", "token_url", "client_id", "client_secret"),
              ("directory_url", "scope", "organization_id", "webhook_secret")),
    "qonto": ("Qonto",
              ("api_url",),
              ("login", "secret_key", "access_token", "staging_token", "webhook_secret")),
    "acube": ("A-Cube",
              ("api_url", "login_url", "email", "password"),
              ("webhook_secret",)),
}
_FACTORIES = {}


def register(key, factory):
    """Make ``factory(**settings)`` the builder of API ``key`` (extension point)."""
    _FACTORIES[key] = factory


def platform_apis():
    """[(key, label)] of the APIs a connection can choose."""
    return [(key, label) for key, (label, _req, _opt) in SETTINGS.items()]


def settings_of(key):
    """(required, optional) setting names of API ``key``."""
    _label, required, optional = SETTINGS[_check(key)]
    return required, optional


def _check(key):
    if key not in SETTINGS or key not in _FACTORIES:
        known = ", ".join(SETTINGS)
        raise AfnorError(f"Platform API {key!r} is unknown; choose one of {known}.",
                         code="gateway_unknown", platform=key)
    return key


def make_gateway(key, **settings):
    """A ready gateway for API ``key``; a missing required setting is an AfnorError."""
    required, optional = settings_of(key)
    missing = [name for name in required if not settings.get(name)]
    if missing:
        raise AfnorError(
            f"The {SETTINGS[key][0]} connection lacks {', '.join(missing)}; fill it in the "
            "connection settings.", code="gateway_missing_setting", platform=key,
            field=missing[0])
    allowed = set(required) | set(optional) | {"timeout", "session", "max_retries", "sleep"}
    given = {name: value for name, value in settings.items()
             if name in allowed and value not in (None, "")}
    return _FACTORIES[key](**given)
