from . import (
    test_diagnostics,
    test_i18n,
    test_install_hook,
    test_reception,
    test_send,
    test_send_concurrency,
    test_status_scenarios,
    test_status_wizard,
    test_sync,
    test_user_messages,
    test_vendor_status,
    test_webhook,
)
