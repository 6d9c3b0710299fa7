#include "httpd/request_checks.h"

namespace plancal::httpd {

namespace {

HttpResponse bad_request(std::string text) {
  HttpResponse response;
  response.status = 400;
  response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  response.headers.emplace_back("Connection", "close");
  response.owned_body = std::move(text);
  return response;
}

}  // namespace

std::optional<HttpResponse> malformed_request_answer(const HttpRequest& request) {
  if (request.version == "HTTP/1.1" && !request.host) {
    return bad_request("bad request: HTTP/1.1 needs a Host header\n");
  }
  if (request.content_length && request.transfer_encoding) {
    return bad_request("bad request: Content-Length and Transfer-Encoding together\n");
  }
  return std::nullopt;
}

HttpResponse answer(const HttpHandler& handler, const HttpRequest& request) {
  if (auto refused = malformed_request_answer(request)) return std::move(*refused);
  return handler.handle(request);
}

}  // namespace plancal::httpd
