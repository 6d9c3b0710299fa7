#include "feed/metrics.h"

#include <fmt/format.h>

#include "feed/catalog.h"

namespace plancal::feed {

namespace {

/// Label values escape backslash, double quote and newline (Prometheus text format).
std::string escape_label(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      escaped += '\\';
      escaped += c;
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

void append_feed_gauges(std::string& text, const CatalogSnapshot& snapshot) {
  text += "# HELP plancal_feed_events Events in each served feed.\n";
  text += "# TYPE plancal_feed_events gauge\n";
  for (const auto& feed : snapshot.feeds()) {
    fmt::format_to(std::back_inserter(text), "plancal_feed_events{{feed=\"{}\"}} {}\n",
                   escape_label(feed->feed_id), feed->event_count);
  }
  text += "# HELP plancal_feed_body_bytes Size of each feed body, uncompressed.\n";
  text += "# TYPE plancal_feed_body_bytes gauge\n";
  for (const auto& feed : snapshot.feeds()) {
    fmt::format_to(std::back_inserter(text), "plancal_feed_body_bytes{{feed=\"{}\"}} {}\n",
                   escape_label(feed->feed_id), feed->body.size);
  }
  text += "# HELP plancal_feed_tokens Active feed tokens.\n";
  text += "# TYPE plancal_feed_tokens gauge\n";
  fmt::format_to(std::back_inserter(text), "plancal_feed_tokens {}\n", snapshot.token_count());
  text += "# HELP plancal_feed_catalog_built_seconds When the served catalog was built.\n";
  text += "# TYPE plancal_feed_catalog_built_seconds gauge\n";
  fmt::format_to(std::back_inserter(text), "plancal_feed_catalog_built_seconds {}\n",
                 snapshot.built_at());
}

}  // namespace

void Metrics::count_request(int status) {
  if (status < kFirstStatus || status > kLastStatus) status = 500;
  requests_[static_cast<std::size_t>(status - kFirstStatus)].fetch_add(1,
                                                                       std::memory_order_relaxed);
}

void Metrics::count_renders(std::size_t rendered) {
  renders_.fetch_add(rendered, std::memory_order_relaxed);
}

std::uint64_t Metrics::requests(int status) const {
  if (status < kFirstStatus || status > kLastStatus) return 0;
  return requests_[static_cast<std::size_t>(status - kFirstStatus)].load(std::memory_order_relaxed);
}

std::uint64_t Metrics::renders() const { return renders_.load(std::memory_order_relaxed); }

std::string Metrics::exposition(const CatalogSnapshot* snapshot) const {
  std::string text;
  text += "# HELP plancal_http_requests_total HTTP requests answered, by status.\n";
  text += "# TYPE plancal_http_requests_total counter\n";
  for (int status = kFirstStatus; status <= kLastStatus; ++status) {
    const auto count = requests(status);
    if (count == 0) continue;
    fmt::format_to(std::back_inserter(text), "plancal_http_requests_total{{status=\"{}\"}} {}\n",
                   status, count);
  }
  text += "# HELP plancal_feed_renders_total Feed bodies rendered since start.\n";
  text += "# TYPE plancal_feed_renders_total counter\n";
  fmt::format_to(std::back_inserter(text), "plancal_feed_renders_total {}\n", renders());
  if (snapshot != nullptr) append_feed_gauges(text, *snapshot);
  return text;
}

}  // namespace plancal::feed
