#pragma once
/// The page templates: Mustache files under daemon/web/templates/, compiled into the binary at
/// build time (cmake/embed_files.cmake), rendered with Debian's header-only Mustache engine
/// (libkainjow-mustache-dev). `{{x}}` HTML-escapes & < > " and '; the templates never use the
/// unescaped forms ({{{x}}}, {{&x}}), so no text from a plan or roster reaches a page as markup.

#include <string>
#include <string_view>
#include <vector>

#include <kainjow/mustache.hpp>

namespace plancal::web {

using TemplateData = kainjow::mustache::data;

/// Renders template `name` (templates/<name>.mustache) with `data`. Every embedded template is
/// also a partial by its name ({{> meeting}}). A template that does not parse is a bug in the
/// repository, not bad input: std::logic_error naming the template.
[[nodiscard]] std::string render_template(std::string_view name, const TemplateData& data);

/// The names of the embedded templates, sorted; and one template's text (empty if unknown).
[[nodiscard]] std::vector<std::string> template_names();
[[nodiscard]] std::string_view template_text(std::string_view name);

/// Small builders for template data, so page code reads as what it shows.
[[nodiscard]] TemplateData text_list(const std::vector<std::string>& items);
[[nodiscard]] TemplateData flag(bool value);
/// Sets `key` to `value`, or to false when it is empty: in Mustache an empty string still
/// opens a {{#section}}, false does not, so optional text is written {{#place}}…{{/place}}.
void set_text(TemplateData& data, const std::string& key, const std::string& value);

}  // namespace plancal::web
