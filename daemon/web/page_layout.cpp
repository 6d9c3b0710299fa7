#include "web/page_layout.h"

namespace plancal::web {

TemplateData layout_data(const std::string& title, const std::string& organisation) {
  TemplateData data;
  data.set("page_title", title);
  set_text(data, "organisation", organisation);
  data.set("stylesheet", std::string(kStylesheetPath));
  return data;
}

std::string overview_path_for(const std::string& page_path, const PageScope& scope,
                              const std::string& plan_id) {
  if (page_path.empty()) return {};
  if (!scope.plan_id.empty()) return page_path + "/aar";
  return page_path + "/aar/" + plan_id;
}

}  // namespace plancal::web
