"""schemathesis hooks for the contract check (loaded through SCHEMATHESIS_HOOKS).

Bearer tokens expire (at the contract run's time scale in about a real minute), so a token fetched
once before the fuzzer starts would turn every later call into a 401 and every check into a
vacuous pass. This provider signs in like a client does and renews the token well before expiry.
"""
import os

import httpx
import schemathesis

BASE = os.environ["LR_CONTRACT_BASE"]


@schemathesis.auth(refresh_interval=15, retry_on=[]).apply_to(path_regex="^/api/")
class EmulatorToken:
    def get(self, case, ctx):
        r = httpx.post(
            f"{BASE}/lab/oauth2/v2.0/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "lr-lab",
                "client_secret": "lr-lab-secret",
                "scope": "https://api.securitycenter.microsoft.com/.default",
            },
            timeout=30,
        )  # the CA comes from SSL_CERT_FILE
        r.raise_for_status()
        return r.json()["access_token"]

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
