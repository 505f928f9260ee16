/** @odoo-module */
// Copyright 2026 The l10n_fr_einvoice_pa authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
//
// Browser tours of the e-invoicing screens, run by tests/test_tours.py against the sandbox
// platform. Steps select stable things (button and field names, data-value of records) so
// the same steps run in English and in French.

import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

const tours = registry.category("web_tour.tours");
const FORM = ".o_form_view:not(.o_form_saving)";
const MODAL = ".modal .o_form_view";
// A dialog's <footer> buttons are moved out of its form, into .modal-footer.
const FOOTER = ".modal .modal-footer";

/**
 * Fail the tour (console.error, which Odoo's ChromeBrowser treats as a failure) as soon as an
 * error dialog (UserError, server traceback) or a danger/warning notification shows up: the
 * web client shows them without logging an error, so a tour would otherwise walk past them.
 */
function installErrorGuard() {
    if (window.l10nFrPaErrorGuard) {
        return;
    }
    const report = (element, what) => {
        if (element.dataset.l10nFrPaReported) {
            return;
        }
        element.dataset.l10nFrPaReported = "1";
        const box = element.closest(".modal, .o_notification") || element;
        console.error(`l10n_fr_einvoice_pa tour: ${what}: ${box.innerText}`);
    };
    window.l10nFrPaErrorGuard = new MutationObserver(() => {
        for (const element of document.querySelectorAll(".o_error_dialog")) {
            report(element, "error dialog");
        }
        const bars = ".o_notification_bar.bg-danger, .o_notification_bar.bg-warning";
        for (const element of document.querySelectorAll(bars)) {
            report(element, "danger notification");
        }
    });
    window.l10nFrPaErrorGuard.observe(document.body, { childList: true, subtree: true });
}

/** The id of the l10n_fr_pa.action (Change status) of ``key``: its radio's data-value. */
async function actionId(key) {
    const records = await rpc("/web/dataset/call_kw/l10n_fr_pa.action/search_read", {
        model: "l10n_fr_pa.action",
        method: "search_read",
        args: [[["key", "=", key]], ["id"]],
        kwargs: {},
    });
    if (records.length !== 1) {
        throw new Error(`l10n_fr_pa.action ${key}: ${records.length} records`);
    }
    return records[0].id;
}

function chooseAction(key) {
    return [
        {
            content: "The Change status dialog lists the allowed actions",
            trigger: `${MODAL} div[name=action_id] input[type=radio]`,
        },
        {
            content: `Choose the action ${key}`,
            trigger: `${MODAL} div[name=action_id] input[type=radio]`,
            async run(helpers) {
                const id = await actionId(key);
                await helpers.click(`${MODAL} div[name=action_id] input[data-value='${id}']`);
            },
        },
        {
            content: `The action ${key} is selected`,
            trigger: `${MODAL} div[name=action_id] input[type=radio]:checked`,
        },
    ];
}

/** A sandbox URL the test put in a cookie (the sandbox listens on a free port). */
function cookie(name) {
    const found = document.cookie.split("; ").find((c) => c.startsWith(`${name}=`));
    if (!found) {
        throw new Error(`cookie ${name} not set by the test`);
    }
    return decodeURIComponent(found.slice(name.length + 1));
}

function badge(decoration) {
    return `${FORM} div[name=l10n_fr_pa_badge] .badge.text-bg-${decoration}`;
}

// ---------------------------------------------------------------------------- 1. invoice flow
function invoiceFlowSteps(french) {
    installErrorGuard();
    const steps = [
        {
            content: "The invoice shows the E-invoicing box, not sent yet",
            trigger: `${FORM} div[name=l10n_fr_pa_widget] button[name=action_l10n_fr_pa_send]`,
        },
    ];
    if (french) {
        steps.push({
            content: "The box speaks French",
            trigger: `${FORM} button[name=action_l10n_fr_pa_send]:contains(Envoyer à la plateforme)`,
        });
    }
    steps.push(
        {
            content: "Send to the platform",
            trigger: `${FORM} button[name=action_l10n_fr_pa_send]`,
            run: "click",
        },
        {
            content: "The platform id appears",
            trigger: `${FORM} div[name=l10n_fr_pa_flow_id] span:not(:empty)`,
        },
        {
            content: "The badge appears (pending)",
            trigger: badge("warning"),
        },
        {
            content: "Synchronise with the platform",
            trigger: `${FORM} button[name=action_l10n_fr_pa_sync]`,
            run: "click",
        },
        {
            content: "The buyer accepted it (205)",
            trigger: `${FORM} div[name=l10n_fr_pa_status_code]:contains(205)`,
        },
        {
            content: "The badge says Accepted",
            trigger: badge("success"),
        },
        {
            content: "Change status",
            trigger: `${FORM} button[name=action_l10n_fr_pa_change_status]`,
            run: "click",
        },
        ...chooseAction("payment_received"),
        {
            content: "The amount received is pre-filled with the invoice total (1,200.00)",
            trigger: `${MODAL} div[name=line_ids] .o_data_row`,
            run() {
                const field = document.querySelector(`${MODAL} div[name=amount_total]`);
                const input = field && field.querySelector("input");
                const text = input ? input.value : field && field.textContent;
                if (!text || text.replace(/[^0-9]/g, "") !== "120000") {
                    throw new Error(`amount received not pre-filled: ${text}`);
                }
            },
        },
        {
            content: "Send the status",
            trigger: `${FOOTER} button[name=action_confirm]`,
            run: "click",
        },
        {
            content: "The dialog is closed, the invoice says 212",
            trigger: `body:not(:has(.modal)) ${FORM} div[name=l10n_fr_pa_status_code]:contains(212)`,
        },
        {
            content: "The badge says Paid",
            trigger: badge("info"),
        },
        {
            content: "Open the E-invoicing tab",
            trigger: `${FORM} a.nav-link[name=l10n_fr_pa_events]`,
            run: "click",
        },
        {
            content: "The 212 event is in the timeline",
            trigger: `${FORM} div[name=l10n_fr_pa_event_ids] .o_data_row td[name=code]:contains(212)`,
        }
    );
    if (french) {
        steps.push({
            content: "The badge says Payée",
            trigger: `${badge("info")}:contains(Payée)`,
        });
    }
    return steps;
}

tours.add("l10n_fr_pa_tour_invoice_flow", { steps: () => invoiceFlowSteps(false) });
tours.add("l10n_fr_pa_tour_invoice_flow_fr", { steps: () => invoiceFlowSteps(true) });

// ---------------------------------------------------------------------------- 2. Send & Print
tours.add("l10n_fr_pa_tour_send_and_print", {
    steps: () => {
        installErrorGuard();
        return [
            {
                content: "The list shows exactly the three invoices",
                trigger: ".o_list_view tbody:not(:has(.o_data_row:nth-child(4))):has(.o_data_row:nth-child(3))",
            },
            {
                content: "Select them all",
                trigger: ".o_list_view thead .o_list_record_selector input",
                run: "click",
            },
            {
                content: "Three selected",
                trigger: ".o_list_view tbody:not(:has(.o_data_row .o_list_record_selector input:not(:checked)))",
            },
            {
                content: "Send & Print",
                trigger: ".o_control_panel button[name=action_send_and_print]",
                run: "click",
            },
            {
                content: "The batch sending dialog sums up the sending",
                trigger: `${MODAL} div[name=summary_data]`,
            },
            {
                content: "Send",
                trigger: `${FOOTER} button[name=action_send_and_print]`,
                run: "click",
            },
            {
                content: "Sending started (the invoices are sent in the background)",
                trigger: "body:not(:has(.modal)) .o_notification_bar.bg-info",
            },
        ];
    },
});

// ---------------------------------------------------------------------------- 3. settings
function editUrl(field, suffix) {
    return {
        content: `Fill ${field}`,
        trigger: `div[name=${field}] input`,
        async run(helpers) {
            await helpers.edit(cookie("l10n_fr_pa_tour_sandbox") + suffix);
        },
    };
}

tours.add("l10n_fr_pa_tour_settings", {
    steps: () => {
        installErrorGuard();
        return [
            {
                content: "Open the Invoicing settings",
                trigger: ".settings_tab .tab[data-key=account]",
                run: "click",
            },
            editUrl("l10n_fr_pa_flow_url", "/flow-service"),
            editUrl("l10n_fr_pa_directory_url", "/directory-service"),
            editUrl("l10n_fr_pa_token_url", "/auth/token"),
            {
                content: "Fill the client id",
                trigger: "div[name=l10n_fr_pa_client_id] input",
                run: "edit seller-client",
            },
            {
                content: "Fill the client secret",
                trigger: "div[name=l10n_fr_pa_client_secret] input",
                run: "edit seller-secret",
            },
            {
                content: "Fill the organisation id",
                trigger: "div[name=l10n_fr_pa_organization_id] input",
                run: "edit ORG-SELLER",
            },
            {
                content: "Save the settings (the page reloads)",
                trigger: ".o_control_panel .o_form_button_save",
                run: "click",
                expectUnloadPage: true,
            },
            {
                content: "Saved: the Invoicing settings again, with the connection",
                trigger: ".o_form_view:not(:has(.o_dirty_warning)) div[name=l10n_fr_pa_organization_id] input",
            },
            {
                content: "Test connection",
                trigger: "button[name=action_l10n_fr_pa_test_connection]",
                run: "click",
            },
            {
                content: "The platform answered",
                trigger: ".o_notification:has(.o_notification_bar.bg-success) .o_notification_close",
                run: "click",
            },
            {
                content: "Register webhook",
                trigger: "button[name=action_l10n_fr_pa_register_webhook]",
                run: "click",
            },
            {
                content: "The webhook URL is shown",
                trigger: "div[name=l10n_fr_pa_webhook_url]:contains(/l10n_fr_pa/webhook/)",
            },
            {
                content: "Open diagnostics",
                trigger: "button[name=action_l10n_fr_pa_open_diagnostics]",
                run: "click",
            },
            {
                content: "The sending error is listed",
                trigger: `${MODAL} div[name=error_ids] .o_data_row button[name=action_retry]`,
                run: "click",
            },
            {
                content: "Retried: the dialog closes, the settings reload",
                trigger: "body:not(:has(.modal)) button[name=action_l10n_fr_pa_open_diagnostics]",
                run: "click",
            },
            {
                content: "The diagnostics list no error any more",
                trigger: `${MODAL} div[name=error_ids]:not(:has(.o_data_row))`,
            },
        ];
    },
});

// ---------------------------------------------------------------------------- 4. reception
tours.add("l10n_fr_pa_tour_reception_dispute", {
    steps: () => {
        installErrorGuard();
        return [
            {
                content: "Open the received e-invoice",
                trigger: ".o_list_view .o_data_row td[name=invoice_number]",
                run: "click",
            },
            {
                content: "Open the bill",
                trigger: `${FORM} button[name=action_open_bill]`,
                run: "click",
            },
            {
                content: "Change status",
                trigger: `${FORM} button[name=action_l10n_fr_pa_change_status]`,
                run: "click",
            },
            ...chooseAction("dispute"),
            {
                content: "Give the reason",
                trigger: `${MODAL} div[name=reason_id] input`,
                run: "edit PU_ERR",
            },
            {
                content: "Pick it",
                trigger: ".o-autocomplete--dropdown-item a:contains(PU_ERR)",
                run: "click",
            },
            {
                content: "Add a data line",
                trigger: `${MODAL} div[name=data_line_ids] .o_field_x2many_list_row_add a`,
                run: "click",
            },
            {
                content: "The data: unit price (BT-146)",
                trigger: `${MODAL} div[name=data_line_ids] .o_selected_row td[name=business_term] select`,
                run: 'select "BT-146"',
            },
            {
                content: "On line 1",
                trigger: `${MODAL} div[name=data_line_ids] .o_selected_row td[name=line_number] input`,
                run: "edit 1",
            },
            {
                content: "Value invoiced",
                trigger: `${MODAL} div[name=data_line_ids] .o_selected_row td[name=invoiced_value] input`,
                run: "edit 100.00",
            },
            {
                content: "Value expected",
                trigger: `${MODAL} div[name=data_line_ids] .o_selected_row td[name=expected_value] input`,
                run: "edit 90.00",
            },
            {
                content: "Send the status",
                trigger: `${FOOTER} button[name=action_confirm]`,
                run: "click",
            },
            {
                content: "The bill says 207",
                trigger: `body:not(:has(.modal)) ${FORM} div[name=l10n_fr_pa_status_code]:contains(207)`,
            },
        ];
    },
});
