// The rules every request meets before a handler sees it: Host on HTTP/1.1, and no
// Content-Length beside Transfer-Encoding (request smuggling behind a proxy).

#include <gtest/gtest.h>

#include "httpd/request_checks.h"

namespace plancal::httpd {
namespace {

/// A handler that answers 200 and counts its calls.
struct CountingHandler final : HttpHandler {
  mutable int calls = 0;
  [[nodiscard]] HttpResponse handle(const HttpRequest& /*request*/) const override {
    ++calls;
    HttpResponse response;
    response.owned_body = "handled\n";
    return response;
  }
};

HttpRequest get(std::string_view version) {
  HttpRequest request;
  request.method = "GET";
  request.path = "/healthz";
  request.version = version;
  return request;
}

TEST(HttpRequestChecksTest, Http11WithoutHostGets400) {
  const CountingHandler handler;
  const auto response = answer(handler, get("HTTP/1.1"));
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.payload().find("Host"), std::string_view::npos);
  EXPECT_EQ(handler.calls, 0);
}

TEST(HttpRequestChecksTest, HostOrHttp10IsEnough) {
  const CountingHandler handler;
  auto with_host = get("HTTP/1.1");
  with_host.host = "feeds.example.no";
  EXPECT_EQ(answer(handler, with_host).status, 200);
  auto empty_host = get("HTTP/1.1");
  empty_host.host = "";  // allowed when the URI has no authority (RFC 9112 section 3.2)
  EXPECT_EQ(answer(handler, empty_host).status, 200);
  EXPECT_EQ(answer(handler, get("HTTP/1.0")).status, 200);
  EXPECT_EQ(handler.calls, 3);
}

TEST(HttpRequestChecksTest, ContentLengthWithTransferEncodingIsRefusedAndClosed) {
  const CountingHandler handler;
  auto request = get("HTTP/1.1");
  request.host = "feeds.example.no";
  request.content_length = "5";
  request.transfer_encoding = "chunked";
  const auto response = answer(handler, request);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.header("Connection"), "close");
  EXPECT_EQ(handler.calls, 0);
  request.transfer_encoding.reset();
  EXPECT_EQ(answer(handler, request).status, 200);
}

}  // namespace
}  // namespace plancal::httpd
