#pragma once
/// Rendered pages, kept until what they show changes, so a page costs a lookup and a copy
/// instead of a render, as feeds do. Two things change a page: the published state (a
/// publish, a token created or revoked, a reloaded config: the whole cache belongs to one
/// generation of it and is dropped with it) and the clock, since a page splits meetings into
/// upcoming and past: each page is kept only until the next meeting on it ends.
///
/// Bounded: past `max_bytes` the cache starts over, so a crawl over thousands of links
/// cannot grow the server without end (a page is tens of kilobytes).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "httpd/lazy_gzip.h"

namespace plancal::web {

/// One page in the two forms the server sends, with its validators.
struct RenderedPage {
  std::string identity;   ///< the HTML
  std::string etag;       ///< strong ETag of `identity`
  std::string gzip_etag;  ///< strong ETag of `gzip` (another representation, RFC 9110)
  /// Until when (Unix seconds, exclusive) the page reads the same; nullopt: until the
  /// published state changes.
  std::optional<std::int64_t> valid_until;
  httpd::LazyGzip gzip_form;

  /// `identity` gzip-compressed: made on the first request that accepts gzip, then kept.
  [[nodiscard]] const std::string& gzip() const { return gzip_form.of(identity); }
};

/// Hashes `html` (the gzip form follows on demand).
[[nodiscard]] std::shared_ptr<const RenderedPage> make_rendered_page(
    std::string html, std::optional<std::int64_t> valid_until);

class PageCache {
 public:
  static constexpr std::size_t kDefaultMaxBytes = std::size_t{64} * 1024 * 1024;
  explicit PageCache(std::size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}

  /// The page kept under `key` for `generation` that is still valid at `now`, or nullptr.
  [[nodiscard]] std::shared_ptr<const RenderedPage> find(std::string_view key,
                                                         std::uint64_t generation,
                                                         std::int64_t now) const;
  /// Keeps `page` under `key`, unless the cache moved on to a newer generation meanwhile.
  void store(const std::string& key, std::uint64_t generation,
             std::shared_ptr<const RenderedPage> page);
  /// Drops every page and accepts only pages of `generation` from now on.
  void start_generation(std::uint64_t generation);

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t bytes() const;

 private:
  mutable std::shared_mutex mutex_;
  std::size_t max_bytes_;
  std::uint64_t generation_ = 0;
  std::size_t bytes_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const RenderedPage>> pages_;
};

}  // namespace plancal::web
