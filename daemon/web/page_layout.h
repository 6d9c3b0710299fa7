#pragma once
/// What every page shares: the frame of templates/page_head.mustache and page_foot.mustache
/// (language nb, the stylesheet, the header band) and the paths between pages.

#include <string>
#include <string_view>

#include "web/page_source.h"
#include "web/templates.h"

namespace plancal::web {

/// Where plancal serves its one stylesheet (static_assets.h).
inline constexpr std::string_view kStylesheetPath = "/static/plancal.css";

/// Template data with the frame's fields set: the <title>, the organisation in the header
/// band, the stylesheet. Pages add their own fields to it.
[[nodiscard]] TemplateData layout_data(const std::string& title, const std::string& organisation);

/// "<page_path>/aar/<plan_id>": the year overview of `plan_id` as reached from a personal
/// page; for a token of that plan alone simply "<page_path>/aar". Empty without a page path.
[[nodiscard]] std::string overview_path_for(const std::string& page_path, const PageScope& scope,
                                            const std::string& plan_id);

}  // namespace plancal::web
