# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The one place of the Odoo layer that words errors of the core and of the platform.

Every translated sentence built from an ``EInvoicingError`` (core) or an ``AfnorError``
(platform) is a method here, and so is the SIREN wording and the notification action
the buttons return. Another addon changes the wording by overriding one method.
"""

from odoo import api, models
from odoo.exceptions import UserError

from ..einvoicing.afnor import AfnorError


class L10nFrPaMessages(models.AbstractModel):
    _name = "l10n_fr_pa.messages"
    _description = "E-invoicing: user messages"

    # ------------------------------------------------------------------ core errors
    @api.model
    def _get_core_wordings(self, params):
        """{stable core error code: (needed parameters, sentence builder)}."""
        return {
            "siren_missing": (("field",), lambda: self.env._(
                "%(field)s is missing: give the 9-digit SIREN of the company.", **params)),
            "siren_invalid": (("field", "value"), lambda: self.env._(
                "%(field)s \"%(value)s\" is not a valid SIREN (9 digits with a valid check "
                "digit): copy it from the Kbis or the INSEE directory.", **params)),
            "siret_invalid": (("field", "value"), lambda: self.env._(
                "%(field)s \"%(value)s\" is not a valid SIRET (14 digits with a valid check "
                "digit).", **params)),
            "siret_siren_mismatch": (("field", "value", "siren"), lambda: self.env._(
                "%(field)s \"%(value)s\" does not start with the SIREN %(siren)s.", **params)),
            "vat_invalid": (("field", "value"), lambda: self.env._(
                "%(field)s \"%(value)s\" is not a valid VAT number.", **params)),
            "payment_amount_not_positive": (("value",), lambda: self.env._(
                "The amount %(value)s must be greater than zero. Nothing was sent.", **params)),
            "currency_invalid": (("value",), lambda: self.env._(
                "\"%(value)s\" is not an ISO 4217 currency code. Nothing was sent.", **params)),
            "reason_required": (("status",), lambda: self.env._(
                "The status %(status)s needs a reason: choose one in the list. Nothing was "
                "sent.", **params)),
            "reason_not_allowed": (("reason", "status"), lambda: self.env._(
                "The reason %(reason)s is not allowed for the status %(status)s: choose one in "
                "the list. Nothing was sent.", **params)),
        }

    @api.model
    def _core_message(self, error):
        """Translated words for the core errors users meet most, by their stable code.

        Other core errors (``EInvoicingError``) keep their English text, which already
        names the field, the value and the fix.
        """
        params = {key: str(value) for key, value in getattr(error, "params", {}).items()}
        needed, build = self._get_core_wordings(params).get(
            getattr(error, "code", None), ((), None))
        if build is None or any(key not in params for key in needed):
            return str(error)  # unknown code, or a value the wording needs is absent
        return build()

    # ------------------------------------------------------------------ platform errors
    @api.model
    def _user_message(self, error):
        """Plain, translated words for a platform or core error (one place for both).

        An ``AfnorError`` keeps the platform's exact text; a core error is translated by
        its stable code where the wording is known (``_core_message``).
        """
        if not isinstance(error, AfnorError):
            return self._core_message(error)
        said = error.platform_message or ""
        status = error.http_status
        if error.code == "afnor_timeout":
            return self.env._(
                "The platform did not answer in time. Nothing is lost: try again, the "
                "invoice will not be sent twice."
            )
        if error.code in ("afnor_connection", "afnor_transport"):
            return self.env._(
                "The platform could not be reached (%(detail)s). Check the platform URL in "
                "Settings and your network, then try again.", detail=str(error),
            )
        if status in (401, 403):
            return self.env._(
                "The platform refused the credentials of this company (HTTP %(status)s: "
                "%(message)s). An administrator checks the client ID and secret in Settings.",
                status=status, message=said or error.error_code or "",
            )
        if status and status >= 500:
            return self.env._(
                "The platform had an internal error (HTTP %(status)s: %(message)s). Try again "
                "later; nothing will be sent twice.", status=status, message=said or "",
            )
        if status:
            return self.env._(
                "The platform refused the request (HTTP %(status)s, %(code)s): %(message)s",
                status=status, code=error.error_code or "-", message=said or str(error),
            )
        return self.env._("The platform call failed: %(message)s", message=str(error))

    @api.model
    def _raise_user_error(self, error):
        """Raise ``error`` (core or platform) as a UserError in the user's words."""
        raise UserError(self._user_message(error)) from error

    # ------------------------------------------------------------------ sentences around an error
    @api.model
    def _send_failed(self, move, error):
        """What a failed sending of ``move`` says, then the platform's exact words."""
        text = self.env._(
            "%(move)s could not be sent: %(reason)s You can send it again as many times as "
            "needed: it will never be duplicated.", move=move.name,
            reason=self._user_message(error))
        return self._with_platform_words(text, getattr(error, "platform_message", None))

    @api.model
    def _with_platform_words(self, text, platform_message):
        """``text``, followed by the platform's exact message when it is not already in it."""
        if not platform_message or platform_message in text:
            return text
        return "\n".join((text, self.env._("Platform message: %(message)s",
                                           message=platform_message)))

    @api.model
    def _invoice_not_mappable(self, move, error):
        return self.env._(
            "The invoice %(move)s cannot be turned into a French e-invoice: %(problems)s",
            move=move.name, problems=self._user_message(error))

    @api.model
    def _status_not_built(self, error):
        return self.env._("The status message cannot be built: %(detail)s Nothing was sent.",
                          detail=self._user_message(error))

    @api.model
    def _amount_invalid(self, error):
        return self.env._("The amount is not valid: %(detail)s Nothing was sent.",
                          detail=self._user_message(error))

    @api.model
    def _nothing_sent(self, error):
        return self.env._("%(detail)s Nothing was sent.", detail=self._user_message(error))

    @api.model
    def _file_unreadable(self, filename, error):
        return self.env._("The file %(name)s is not a readable e-invoice: %(error)s",
                          name=filename, error=self._user_message(error))

    @api.model
    def _flow_unreadable(self, flow_id, error):
        return self.env._(
            "The lifecycle message of flow %(flow)s could not be read and was skipped: "
            "%(error)s", flow=flow_id, error=self._user_message(error))

    # ------------------------------------------------------------------ SIREN
    @api.model
    def _siren_problem(self, problem, role, record, **values):
        """Why the SIREN of ``record`` cannot be used, for a ``role`` "sender" (the company)
        or "recipient"; ``problem`` is "invalid" (``detail``: the worded core error),
        "missing" (``fields``: the field labels) or "disagree" (``values``)."""
        name = record.display_name
        sentences = {
            ("invalid", "sender"): lambda: self.env._(
                "The sender's SIREN is not valid (company %(name)s): %(detail)s Correct it in "
                "the company's settings. Nothing was sent.", name=name, **values),
            ("invalid", "recipient"): lambda: self.env._(
                "The recipient's SIREN is not valid (%(name)s): %(detail)s Correct it on the "
                "customer. Nothing was sent.", name=name, **values),
            ("missing", "sender"): lambda: self.env._(
                "The sender's SIREN is missing: fill %(fields)s of the company %(name)s with its "
                "9-digit SIREN (or 14-digit SIRET). No default value is used. Nothing was sent.",
                name=name, **values),
            ("missing", "recipient"): lambda: self.env._(
                "The recipient's SIREN is missing: fill %(fields)s of %(name)s with its 9-digit "
                "SIREN (or 14-digit SIRET). Nothing was sent.", name=name, **values),
            ("disagree", "sender"): lambda: self.env._(
                "The identifiers of the company %(name)s disagree: %(values)s. Correct them "
                "so they give the same SIREN. Nothing was sent.", name=name, **values),
            ("disagree", "recipient"): lambda: self.env._(
                "The identifiers of %(name)s disagree: %(values)s. Correct them so they give "
                "the same SIREN. Nothing was sent.", name=name, **values),
        }
        return sentences[problem, role]()

    # ------------------------------------------------------------------ notification
    @api.model
    def _notification(self, message, title=None, level="success", reload=True):
        """The ``display_notification`` client action of every button; sticky unless success."""
        params = {
            "title": title or self.env._("E-invoicing platform"),
            "message": message,
            "type": level,
            "sticky": level not in ("success", "info"),
        }
        if reload:
            params["next"] = {"type": "ir.actions.client", "tag": "soft_reload"}
        return {"type": "ir.actions.client", "tag": "display_notification", "params": params}
