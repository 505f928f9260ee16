"""Official artefacts (XSD, schematrons, OpenAPI, examples), read-only data.

Copied unchanged from the FNFE-MPE France_RFE V1.4 package (Apache-2.0, see
LICENSE.fnfe-rfe) and the ConnectingEurope EN16931 examples (EUPL-1.2).
"""

from pathlib import Path

STANDARDS_DIR = Path(__file__).resolve().parent
