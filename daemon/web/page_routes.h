#pragma once
/// The page routes, without sockets (as feed/request_handler.h is for feeds):
///   GET|HEAD /p/<token>                the personal page of the token's audience
///   GET|HEAD /p/<token>/aar            a per-plan token: the year overview of its plan
///   GET|HEAD /p/<token>/aar/<plan-id>  the year overview of a plan the audience appears in
///   GET|HEAD /static/<file>            the stylesheet and the icon (static_assets.h)
/// The token is a feed token: the same link secret serves `/feeds/<token>.ics` and its page.
/// Every page sends page_response.h's security headers, a strong ETag (If-None-Match: 304)
/// and gzip when the client accepts it. Unknown, revoked and malformed tokens, and plans a
/// token does not reach, get the same 404 page; an unknown token is logged with the client's
/// address, never with the token. A wrong method gets 405 with Allow.
///
/// After every change the owner hands over a new PageState, and every link's personal page is
/// rendered ahead then, without its secret (page_frames.h); the first request fills the
/// secret in. Year overviews, and a personal page whose frame has expired (a meeting ended
/// since), are rendered on their first request. Either way a page is then kept
/// (page_cache.h) until what it shows changes.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "httpd/http_types.h"
#include "store/feed_tokens.h"
#include "web/meeting_fragments.h"
#include "web/meeting_view.h"
#include "web/page_cache.h"
#include "web/page_frames.h"
#include "web/published_source.h"

namespace plancal::web {

/// Where the personal pages live; "/p/<token>" is a token's page.
inline constexpr std::string_view kPersonalPagePrefix = "/p/";

/// "/p/<secret>": the path of the page behind a token's secret.
[[nodiscard]] std::string personal_page_path(std::string_view secret);

/// What a page path asks for.
struct PagePath {
  std::string_view secret;
  enum class Kind { Personal, Overview } kind = Kind::Personal;
  std::string_view plan_id;  ///< the overview's plan; empty for "/p/<token>/aar"
};

/// The parts of "/p/<secret>[/aar[/<plan-id>]]", or nullopt for any other path.
[[nodiscard]] std::optional<PagePath> parse_page_path(std::string_view path);

/// What the pages are built from, replaced as a whole after every change.
struct PageState {
  std::shared_ptr<const PublishedPageSource> source;
  std::vector<FeedToken> tokens;  ///< the live tokens the state was built with
  std::string public_url;         ///< the base of feed links (feeds.public_url)
};

/// What the routes need from the server around them; every function must be thread-safe.
struct PageDependencies {
  /// The id of the live token with this secret (cached), or nullopt.
  std::function<std::optional<std::int64_t>(std::string_view secret)> resolve_token;
  /// The live token with this secret, asked of the store itself (for a token newer than the
  /// state, or one revoked since), or nullopt.
  std::function<std::optional<FeedToken>(std::string_view secret)> look_up_token;
  /// A token's page was fetched (for `plancal feed token list`).
  std::function<void(std::int64_t token_id, std::int64_t now)> note_access;
  /// A live token is newer than the state: a new state is wanted soon.
  std::function<void()> request_rebuild;
  std::function<std::int64_t()> now;  ///< Unix seconds; the system clock by default
  unsigned render_threads = 1;        ///< threads that render pages ahead after a change
};

class PageRoutes final : public httpd::HttpHandler {
 public:
  explicit PageRoutes(PageDependencies dependencies);

  /// Renders every token's personal page ahead, then puts the new state in force and drops
  /// every page rendered from the previous one.
  void update(PageState state);

  [[nodiscard]] httpd::HttpResponse handle(const httpd::HttpRequest& request) const override;

  /// The pages kept now, for tests and metrics.
  [[nodiscard]] const PageCache& cache() const { return cache_; }

 private:
  struct Current {
    PageState state;
    std::unordered_map<std::int64_t, const FeedToken*> tokens_by_id;
    std::uint64_t generation = 0;
    /// The meetings' views and HTML, shared by every page of this state (events point into
    /// `state`).
    mutable MeetingViews views;
    mutable MeetingFragments fragments;
    PageFrames frames;  ///< the personal pages rendered ahead, by frame_key()
  };

  [[nodiscard]] std::shared_ptr<const Current> current() const;
  [[nodiscard]] std::optional<FeedToken> live_token(const Current& current, std::string_view secret,
                                                    std::string_view client) const;
  [[nodiscard]] httpd::HttpResponse serve_page(const httpd::HttpRequest& request,
                                               const PagePath& path) const;
  /// The personal page from its frame, with until when it reads the same; nullopt when it
  /// has none that is still valid or the secret cannot fill it.
  [[nodiscard]] static std::optional<std::pair<std::string, std::optional<std::int64_t>>>
  from_frame(const Current& current, const FeedToken& token, std::string_view secret,
             std::int64_t now);
  [[nodiscard]] std::shared_ptr<const RenderedPage> render(const Current& current,
                                                           const FeedToken& token,
                                                           const PagePath& path,
                                                           std::int64_t now) const;

  PageDependencies deps_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Current> current_;  ///< guarded by mutex_
  std::uint64_t generations_ = 0;           ///< guarded by mutex_
  mutable PageCache cache_;                 ///< filled by handle(), which the server calls as const
};

}  // namespace plancal::web
