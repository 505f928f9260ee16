-- A copied (neutralized) database must never talk to the production platform:
-- production connections become sandbox ones and lose their secrets.
UPDATE l10n_fr_pa_connection
   SET environment = 'sandbox',
       client_secret = NULL,
       access_token = NULL,
       webhook_secret = NULL
 WHERE environment = 'production';
-- ... and never sends e-reports on its own.
UPDATE res_company SET l10n_fr_pa_ereport_auto_send = false;
