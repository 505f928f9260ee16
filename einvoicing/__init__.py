"""Host-free core of the French e-invoicing connector.

Plain Python: never imports Odoo. The Odoo addon around it maps records to
these models, stores state and shows it.
"""

__version__ = "18.0.1.0.0"
