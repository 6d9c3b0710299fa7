#pragma once
/// The files plancal serves beside its pages, from daemon/web/static/ (embedded at build
/// time): the one stylesheet of every page, /static/plancal.css, and the page icon,
/// /static/plancal.svg. Nothing is loaded from anywhere else.

#include <optional>
#include <string_view>

#include "web/page_response.h"

namespace plancal::web {

/// The response for `path` ("/static/plancal.css"): 200 with Content-Type, ETag and an hour of
/// public caching, or 304 when `if_none_match` names the ETag; nullopt for any other path.
[[nodiscard]] std::optional<PageResponse> static_asset(
    std::string_view path, std::optional<std::string_view> if_none_match = {});

/// The embedded stylesheet's text (for tests and for writing it next to rendered pages).
[[nodiscard]] std::string_view stylesheet_text();

}  // namespace plancal::web
