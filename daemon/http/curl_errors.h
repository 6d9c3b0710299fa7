#pragma once
/// What a libcurl result code says about the connection, for every libcurl user in plancal
/// (the HTTP transport here, the SMTP sender in daemon/mail): one list, so a code libcurl
/// adds is classified once.

#include <curl/curl.h>

namespace plancal::http {

/// The TLS handshake or the certificate failed (or STARTTLS was refused). Retrying will not
/// help; the message should point at the CA settings and the server's certificate.
[[nodiscard]] bool is_tls_error(CURLcode code);

}  // namespace plancal::http
