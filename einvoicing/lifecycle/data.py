"""Data of the AFNOR lifecycle catalogue (read by :mod:`einvoicing.lifecycle.statuses`).

Sources: XP Z12-012 / XP Z12-014 (statuses 200-214, 220-228, 501), the
BR-FR-CDV schematron V1.4 (``standards/cdar/BR-FR-CDV-Schematron-CDAR.xslt``:
reason codes allowed per status, rules BR-FR-CDV-CL-09 and BR-FR-CDV-15), and
the A-Cube platform documentation (reason names such as
LEGAL_INFORMATION_MISSING with their target statuses).
"""

PLATFORM, BUYER, SUPPLIER = "platform", "buyer", "supplier"

# code: (key, label_fr, label_en, definition_fr, definition_en, emitters)
STATUS_ROWS = {
    200: ("SUBMITTED", "Déposée", "Submitted",
          "La facture du fournisseur est transmise à sa plateforme agréée émettrice (PA-E), "
          "qui certifie qu'elle est contrôlée et conforme.",
          "The supplier's invoice is transmitted to their sending accredited platform (PA-E), "
          "which certifies that the invoice is controlled and compliant.", (PLATFORM,)),
    201: ("ISSUED", "Émise par la plateforme", "Issued by the platform",
          "La plateforme émettrice (PA-E) indique avoir transmis la facture à la plateforme "
          "de réception du destinataire (PA-R).",
          "The sending accredited platform (PA-E) reports having transmitted the invoice to "
          "the recipient's receiving accredited platform (PA-R).", (PLATFORM,)),
    202: ("RECEIVED", "Reçue par la plateforme", "Received by the platform",
          "La plateforme de réception (PA-R) indique avoir reçu la facture de la plateforme "
          "émettrice (PA-E).",
          "The receiving accredited platform (PA-R) reports having received the invoice from "
          "the sending accredited platform (PA-E).", (PLATFORM,)),
    203: ("MADE_AVAILABLE", "Mise à disposition", "Made available",
          "La plateforme de réception (PA-R) indique avoir mis la facture à disposition de "
          "son destinataire.",
          "The receiving accredited platform (PA-R) reports having made the invoice available "
          "to its recipient.", (PLATFORM,)),
    204: ("IN_HAND", "Prise en charge", "In hand",
          "Le destinataire accuse réception de la facture et la prend en charge.",
          "The recipient acknowledges receipt of the invoice.", (BUYER,)),
    205: ("APPROVED", "Approuvée", "Approved",
          "Le destinataire accepte la facture dans sa totalité.",
          "The recipient accepts the invoice in its entirety.", (BUYER,)),
    206: ("PARTIALLY_APPROVED", "Approuvée partiellement", "Partially approved",
          "Le destinataire n'accepte qu'une partie de la facture.",
          "The recipient accepts only part of the invoice.", (BUYER,)),
    207: ("DISPUTED", "En litige", "Disputed",
          "Le destinataire est en désaccord avec tout ou partie de la facture.",
          "The recipient disagrees with all or part of the invoice.", (BUYER,)),
    208: ("SUSPENDED", "Suspendue", "Suspended",
          "Le destinataire attend des pièces justificatives complémentaires et suspend le "
          "traitement de la facture jusqu'à leur réception.",
          "The recipient wishes to obtain additional supporting documents and suspends the "
          "processing of the invoice until they are received.", (BUYER,)),
    209: ("COMPLETED", "Complétée", "Completed",
          "Le fournisseur transmet les pièces justificatives attendues par le destinataire.",
          "The supplier provides the supporting documents expected by the invoice recipient.",
          (SUPPLIER,)),
    210: ("REFUSED", "Refusée", "Refused",
          "Le destinataire refuse la facture dans sa totalité.",
          "The recipient refuses the invoice in its entirety.", (BUYER,)),
    211: ("PAYMENT_SENT", "Paiement transmis", "Payment sent",
          "Le destinataire indique avoir payé la facture, ou le fournisseur indique avoir "
          "remboursé l'avoir.",
          "The recipient reports having made the payment for the invoice, or the supplier "
          "reports having issued a refund for the credit note.", (BUYER, SUPPLIER)),
    212: ("PAYMENT_RECEIVED", "Encaissée", "Payment received",
          "Dans les conditions de l'article 290 A du CGI, le fournisseur indique avoir encaissé "
          "tout ou partie du paiement de la facture.",
          "According to article 290 A of the CGI, the supplier reports having received a "
          "partial or total payment for the invoice.", (SUPPLIER,)),
    213: ("REJECTED", "Rejetée", "Rejected",
          "Un contrôle de la plateforme émettrice (PA-E) ou de réception (PA-R) a détecté une "
          "anomalie sur la facture.",
          "One of the functional controls of the sending (PA-E) or receiving (PA-R) accredited "
          "platform has detected an anomaly on the invoice.", (PLATFORM,)),
    214: ("VISED", "Visée", "Vised",
          "Le destinataire a visé la facture (validation interne avant paiement).",
          "The recipient has vised the invoice (internal sign-off before payment).", (BUYER,)),
    220: ("CANCELLED", "Annulée", "Cancelled",
          "Le fournisseur annule la facture (par exemple remplacée par une facture "
          "rectificative); son cycle de vie est clos.",
          "The supplier cancels the invoice (for instance replaced by a corrected invoice); "
          "its lifecycle is closed.", (SUPPLIER,)),
    221: ("ROUTING_ERROR", "Erreur de routage", "Routing error",
          "La plateforme ne peut pas acheminer la facture vers son destinataire.",
          "The platform cannot route the invoice to its recipient.", (PLATFORM,)),
    224: ("DIRECT_PAYMENT_REQUEST", "Demande de paiement direct", "Direct payment request",
          "Un sous-traitant demande le paiement direct de la facture.",
          "A subcontractor requests direct payment of the invoice.", (SUPPLIER,)),
    225: ("FACTORED", "Affacturée", "Factored",
          "La créance est cédée à un affactureur.",
          "The receivable has been assigned to a factor.", (SUPPLIER,)),
    226: ("CONFIDENTIALLY_FACTORED", "Affacturée confidentiel", "Confidentially factored",
          "La créance est cédée à un affactureur de manière confidentielle.",
          "The receivable has been confidentially assigned to a factor.", (SUPPLIER,)),
    227: ("PAYEE_ACCOUNT_CHANGED", "Changement de compte à payer", "Change of payee account",
          "Le compte bancaire à payer pour la facture change.",
          "The bank account to be paid for the invoice changes.", (SUPPLIER,)),
    228: ("NOT_FACTORED", "Non affacturée", "Not factored",
          "La créance n'est pas (ou plus) affacturée.",
          "The receivable is not (or no longer) factored.", (SUPPLIER,)),
    501: ("INADMISSIBLE", "Irrecevable", "Inadmissible",
          "Le fichier reçu ne peut pas être traité (vide, illisible, mauvais format).",
          "The received file cannot be processed (empty, unreadable, wrong format).",
          (PLATFORM,)),
}

# Statuses created by platforms in the transmission phase (CDAR TypeCode 305).
TRANSMISSION_STATUSES = frozenset({200, 201, 202, 203, 213, 221, 501})

# Mandatory statuses (sent to the PPF data concentrator): value True or a condition.
MANDATORY = {
    200: True,
    210: True,
    212: "when VAT is due on collection (TVA sur les encaissements)",
    213: True,
}

# BR-FR-CDV-15: a reason (MDT-113) is required for these statuses.
REASON_REQUIRED = frozenset({206, 207, 208, 210, 213, 501})

# BR-FR-CDV-CL-09: reason codes allowed per status. Statuses absent here carry no reason.
STATUS_REASONS = {
    200: ("NON_TRANSMISE",),
    206: ("AUTRE", "CMD_ERR", "SIRET_ERR", "CODE_ROUTAGE_ERR", "REF_CT_ABSENT", "REF_ERR",
          "PU_ERR", "REM_ERR", "QTE_ERR", "ART_ERR", "MODPAI_ERR", "QUALITE_ERR", "LIVR_INCOMP"),
    207: ("AUTRE", "COORD_BANC_ERR", "TX_TVA_ERR", "MONTANTTOTAL_ERR", "CALCUL_ERR",
          "NON_CONFORME", "DOUBLON", "DEST_INC", "DEST_ERR", "TRANSAC_INC", "EMMET_INC",
          "CONTRAT_TERM", "DOUBLE_FACT", "CMD_ERR", "ADR_ERR", "SIRET_ERR", "CODE_ROUTAGE_ERR",
          "REF_CT_ABSENT", "REF_ERR", "PU_ERR", "REM_ERR", "QTE_ERR", "ART_ERR", "MODPAI_ERR",
          "QUALITE_ERR", "LIVR_INCOMP"),
    208: ("JUSTIF_ABS", "COORD_BANC_ERR", "CMD_ERR", "SIRET_ERR", "CODE_ROUTAGE_ERR",
          "REF_CT_ABSENT", "REF_ERR"),
    210: ("TX_TVA_ERR", "MONTANTTOTAL_ERR", "CALCUL_ERR", "NON_CONFORME", "DOUBLON", "DEST_ERR",
          "TRANSAC_INC", "EMMET_INC", "CONTRAT_TERM", "DOUBLE_FACT", "CMD_ERR", "ADR_ERR",
          "REF_CT_ABSENT"),
    213: ("MONTANTTOTAL_ERR", "CALCUL_ERR", "DOUBLON", "DEST_INC", "ADR_ERR", "REJ_SEMAN",
          "REJ_UNI", "REJ_COH", "REJ_ADR", "REJ_CONT_B2G", "REJ_REF_PJ", "REJ_ASS_PJ"),
    221: ("ROUTAGE_ERR",),
    501: ("IRR_VIDE_F", "IRR_TYPE_F", "IRR_SYNTAX", "IRR_TAILLE_PJ", "IRR_NOM_PJ", "IRR_VID_PJ",
          "IRR_EXT_DOC", "IRR_TAILLE_F", "IRR_ANTIVIRUS", "IRR_NOM_F"),
}

# AFNOR reason code: (label_fr, label_en)
REASON_LABELS = {
    "NON_TRANSMISE": ("Facture non transmise", "Invoice not transmitted"),
    "JUSTIF_ABS": ("Justificatif absent ou insuffisant", "Supporting documents missing"),
    "ROUTAGE_ERR": ("Erreur de routage", "Routing error"),
    "AUTRE": ("Autre", "Other"),
    "COORD_BANC_ERR": ("Coordonnées bancaires erronées", "Incorrect bank details"),
    "TX_TVA_ERR": ("Taux de TVA erroné", "Incorrect VAT rate"),
    "MONTANTTOTAL_ERR": ("Montant total erroné", "Incorrect total amount"),
    "CALCUL_ERR": ("Erreur de calcul de la facture", "Invoice calculation error"),
    "NON_CONFORME": ("Mention légale manquante (facture non conforme)",
                     "Legal information missing (non-compliant invoice)"),
    "DOUBLON": ("Facture en doublon", "Duplicate invoice"),
    "DEST_INC": ("Destinataire inconnu", "Unknown recipient"),
    "DEST_ERR": ("Erreur de destinataire", "Incorrect recipient"),
    "TRANSAC_INC": ("Transaction inconnue", "Unknown transaction"),
    "EMMET_INC": ("Émetteur inconnu", "Unknown issuer"),
    "CONTRAT_TERM": ("Contrat terminé", "Contract terminated"),
    "DOUBLE_FACT": ("Double facturation", "Double invoicing"),
    "CMD_ERR": ("Référence de commande erronée ou absente",
                "Purchase order reference incorrect or missing"),
    "ADR_ERR": ("Adresse de facturation électronique erronée",
                "Incorrect e-invoicing address"),
    "SIRET_ERR": ("SIRET erroné ou absent", "SIRET incorrect or missing"),
    "CODE_ROUTAGE_ERR": ("Code routage erroné ou absent", "Routing code incorrect or missing"),
    "REF_CT_ABSENT": ("Référence contractuelle absente", "Contract reference missing"),
    "REF_ERR": ("Référence erronée", "Incorrect reference"),
    "PU_ERR": ("Prix unitaire erroné", "Incorrect unit price"),
    "REM_ERR": ("Remise erronée", "Incorrect discount"),
    "QTE_ERR": ("Quantité facturée erronée", "Incorrect invoiced quantity"),
    "ART_ERR": ("Article facturé erroné", "Incorrect invoiced item"),
    "MODPAI_ERR": ("Modalités de paiement erronées", "Incorrect payment terms"),
    "QUALITE_ERR": ("Qualité de l'article livré insuffisante", "Insufficient item quality"),
    "LIVR_INCOMP": ("Problème de livraison", "Delivery issue"),
    "REJ_SEMAN": ("Rejet pour erreur sémantique", "Semantic error"),
    "REJ_UNI": ("Rejet pour non-unicité de la facture", "Invoice not unique"),
    "REJ_COH": ("Rejet pour incohérence des données", "Inconsistent data"),
    "REJ_ADR": ("Rejet pour erreur d'adressage", "Addressing error"),
    "REJ_CONT_B2G": ("Rejet des contrôles B2G", "B2G controls failed"),
    "REJ_REF_PJ": ("Rejet: référence de pièce jointe erronée", "Attachment reference error"),
    "REJ_ASS_PJ": ("Rejet: pièce jointe associée erronée", "Associated attachment error"),
    "IRR_VIDE_F": ("Fichier vide", "Empty file"),
    "IRR_TYPE_F": ("Type de fichier non accepté", "File type not accepted"),
    "IRR_SYNTAX": ("Erreur de syntaxe", "Syntax error"),
    "IRR_TAILLE_PJ": ("Pièce jointe trop volumineuse", "Attachment too large"),
    "IRR_NOM_PJ": ("Nom de pièce jointe invalide", "Invalid attachment name"),
    "IRR_VID_PJ": ("Pièce jointe vide", "Empty attachment"),
    "IRR_EXT_DOC": ("Extension de document non acceptée", "Document extension not accepted"),
    "IRR_TAILLE_F": ("Fichier trop volumineux", "File too large"),
    "IRR_ANTIVIRUS": ("Fichier refusé par l'antivirus", "File refused by the antivirus"),
    "IRR_NOM_F": ("Nom de fichier invalide", "Invalid file name"),
}

# Reason names of platform APIs (A-Cube) -> AFNOR code, with the target statuses that
# documentation lists. The statuses actually allowed are those of the AFNOR code in the
# schematron; the differences are deliberate (a message breaking BR-FR-CDV-CL-09 would be
# rejected by the platforms): QUANTITY_INCORRECT is not allowed for 208, MISSING_DOCUMENTS
# only for 208, FINANCE_TERMS_INCORRECT and PRICES_INCORRECT not for 210.
REASON_ALIASES = {
    "LEGAL_INFORMATION_MISSING": ("NON_CONFORME", (210, 207)),
    "INCORRECT_RECIPIENT": ("DEST_ERR", (210, 207)),
    "EINVOICING_ADDRESS_INCORRECT": ("ADR_ERR", (210, 207)),
    "UNKNOWN_TRANSACTION": ("TRANSAC_INC", (210, 207)),
    "PO_REFERENCE_INCORRECT_OR_MISSING": ("CMD_ERR", (210, 207, 208)),
    "CONTRACT_REFERENCE_MISSING": ("REF_CT_ABSENT", (210, 207, 208)),
    "VAT_RATE_INCORRECT": ("TX_TVA_ERR", (210, 207)),
    "TOTAL_AMOUNT_INCORRECT": ("MONTANTTOTAL_ERR", (210, 207)),
    "CALCULATION_ERROR": ("CALCUL_ERR", (210, 207)),
    "DUPLICATE_INVOICE": ("DOUBLON", (210, 207)),
    "DOUBLE_INVOICING": ("DOUBLE_FACT", (210, 207)),
    "CONTRACT_TERMINATED": ("CONTRAT_TERM", (210, 207)),
    "UNKNOWN_ISSUER": ("EMMET_INC", (210, 207)),
    "FINANCE_TERMS_INCORRECT": ("MODPAI_ERR", (210, 207)),
    "PRICES_INCORRECT": ("PU_ERR", (210, 207)),
    "SIRET_INCORRECT_OR_MISSING": ("SIRET_ERR", (207, 208)),
    "ROUTING_CODE_INCORRECT": ("CODE_ROUTAGE_ERR", (207, 208)),
    "REFERENCE_INCORRECT": ("REF_ERR", (207, 208)),
    "QUANTITY_INCORRECT": ("QTE_ERR", (207, 208)),
    "ITEM_INCORRECT": ("ART_ERR", (207,)),
    "ITEM_QUALITY_INSUFFICIENT": ("QUALITE_ERR", (207,)),
    "DELIVERY_ISSUE": ("LIVR_INCOMP", (207,)),
    "PAYMENT_TERMS_INCORRECT": ("MODPAI_ERR", (207,)),
    "OTHER": ("AUTRE", (207,)),
    "UNIT_PRICE_INCORRECT": ("PU_ERR", (207,)),
    "DISCOUNT_INCORRECT": ("REM_ERR", (207,)),
    "BANK_DETAILS_INCORRECT": ("COORD_BANC_ERR", (207, 208)),
    "MISSING_DOCUMENTS": ("JUSTIF_ABS", (207,)),
}

# Consolidated badge (seed 001 section 5). Codes absent from every row have no badge.
BADGE_CODES = {
    "pending": (200, 201, 202, 203, 204, 207, 208, 209, 214),
    "accepted": (205, 206),
    "rejected": (210, 213, 220, 501),
    "paid": (211, 212),
}
