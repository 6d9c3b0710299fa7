"""Graph emulator: identity-platform token endpoint and Graph bearer-token checks."""

import base64
import json
import secrets
import time
import uuid

from emulator_common import GraphError, b64url

GRAPH_SCOPE = "https://graph.microsoft.com/.default"


# --------------------------------------------------------------------------------------------
# Identity platform token endpoint
# --------------------------------------------------------------------------------------------
def token_endpoint(state, tenant_key, form, content_type):
    """Doc: "Microsoft identity platform and the OAuth 2.0 client credentials flow"
    https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
    -- POST /{tenant}/oauth2/v2.0/token with client_id, scope=https://graph.microsoft.com/.default,
    client_secret, grant_type=client_credentials; success {token_type, expires_in, ext_expires_in,
    access_token}; errors {error, error_description, error_codes, timestamp, trace_id,
    correlation_id, error_uri}. AADSTS codes: "Microsoft Entra authentication and authorization
    error codes" https://learn.microsoft.com/entra/identity-platform/reference-error-codes and
    "Troubleshoot ... service principal" (7000215 invalid secret, 7000222 expired secret)
    https://learn.microsoft.com/azure/developer/java/sdk/troubleshooting-authentication-service-principal
    """
    def err(status, error, code, text):
        trace, corr = str(uuid.uuid4()), str(uuid.uuid4())
        ts = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())
        desc = "AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s" % (code, text, trace, corr, ts)
        return status, {"error": error, "error_description": desc, "error_codes": [code], "timestamp": ts,
                        "trace_id": trace, "correlation_id": corr,
                        "error_uri": "https://login.microsoftonline.com/error?code=%d" % code}

    state.stats["token_requests"] += 1
    if not content_type.lower().startswith("application/x-www-form-urlencoded"):
        return err(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.")
    with state.lock:
        tenant = state.tenants.get(tenant_key.lower())
    if tenant is None:
        return err(400, "invalid_request", 90002, "Tenant '%s' not found. Check to make sure you have the correct tenant ID and "
                   "are signing into the correct cloud." % tenant_key)
    for p in ("grant_type", "client_id", "scope"):
        if not form.get(p):
            return err(400, "invalid_request", 900144, "The request body must contain the following parameter: '%s'." % p)
    if form["grant_type"] != "client_credentials":
        return err(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '%s'." % form["grant_type"])
    app = tenant["apps"].get(form["client_id"].lower())
    if app is None:
        return err(400, "unauthorized_client", 700016, "Application with identifier '%s' was not found in the directory '%s'. "
                   "This can happen if the application has not been installed by the administrator of the tenant or "
                   "consented to by any user in the tenant." % (form["client_id"], tenant_key))
    scopes = form["scope"].split()
    if len(scopes) != 1 or not scopes[0].endswith("/.default"):
        return err(400, "invalid_scope", 1002012, "The provided value for scope %s is not valid. Client credential flows must have "
                   "a scope value with /.default suffixed to the resource identifier (application ID URI)." % form["scope"])
    if scopes[0] != GRAPH_SCOPE:
        return err(400, "invalid_resource", 500011, "The resource principal named %s was not found in the tenant named %s." %
                   (scopes[0][: -len("/.default")], tenant_key))
    secret = form.get("client_secret")
    if not secret:
        return err(401, "invalid_client", 7000216, "'client_assertion', 'client_secret' or 'request' is required for the "
                   "'client_credentials' grant type.")
    match = [s for s in app["secrets"] if secrets.compare_digest(s["value"].encode(), secret.encode())]
    if not match:
        return err(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is "
                   "the client secret value, not the client secret ID, for a secret added to app '%s'." % app["client_id"])
    if match[0]["expired"]:
        return err(401, "invalid_client", 7000222, "The provided client secret keys for app '%s' are expired. Visit the Azure "
                   "portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate "
                   "credentials for added security: https://aka.ms/certCreds." % app["client_id"])
    exp_in = state.expires_in
    hdr = base64.urlsafe_b64encode(b'{"typ":"JWT","alg":"RS256","kid":"emulator"}').decode().rstrip("=")
    claims = {"aud": "https://graph.microsoft.com", "iss": "https://sts.windows.net/%s/" % tenant["id"],
              "iat": int(time.time()), "exp": int(time.time() + exp_in), "appid": app["client_id"],
              "tid": tenant["id"], "roles": app["roles"], "jti": str(uuid.uuid4())}
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    token = "%s.%s.%s" % (hdr, body, b64url(64))
    with state.lock:
        state.tokens[token] = {"tenant": tenant["id"], "client_id": app["client_id"], "roles": app["roles"],
                               "exp": time.time() + exp_in}
        state.stats["tokens_issued"] += 1
    return 200, {"token_type": "Bearer", "expires_in": exp_in, "ext_expires_in": exp_in, "access_token": token}



class AuthMixin:
    """Bearer-token checks for Graph requests; mixed into Graph."""

    # ---------------- auth
    def authenticate(self, ctx):
        """Doc: "Microsoft Graph error responses" https://learn.microsoft.com/graph/errors (401:
        "Required authentication information is either missing or not valid"). Codes/messages
        are the ones Graph returns for Outlook resources (InvalidAuthenticationToken)."""
        auth = ctx.headers.get("authorization", "")
        hdr = {"WWW-Authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"'}
        if not auth:
            raise GraphError(401, "InvalidAuthenticationToken", "Access token is empty.", hdr)
        scheme, _, tok = auth.partition(" ")
        if scheme.lower() != "bearer" or not tok.strip():
            raise GraphError(401, "InvalidAuthenticationToken", "Access token validation failure. Invalid audience.", hdr)
        with self.s.lock:
            info = self.s.tokens.get(tok.strip())
        if info is None:
            raise GraphError(401, "InvalidAuthenticationToken",
                             "IDX14100: JWT is not well formed, there are no dots (.)." if "." not in tok
                             else "Access token validation failure. Invalid audience.", hdr)
        if time.time() >= info["exp"]:
            raise GraphError(401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.", hdr)
        return info
