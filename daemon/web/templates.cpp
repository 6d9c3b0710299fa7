#include "web/templates.h"

#include <map>
#include <stdexcept>
#include <utility>

namespace plancal::embedded {
std::vector<std::pair<std::string_view, std::string_view>> web_templates();
}  // namespace plancal::embedded

namespace plancal::web {

namespace {

using Mustache = kainjow::mustache::mustache;

/// Every template as partial data, made once: the engine looks partials up by name.
const std::map<std::string, TemplateData, std::less<>>& partials() {
  static const auto* const kPartials = [] {
    auto* map = new std::map<std::string, TemplateData, std::less<>>();
    for (const auto& [name, text] : embedded::web_templates()) {
      map->emplace(std::string(name), TemplateData(std::string(text)));
    }
    return map;
  }();
  return *kPartials;
}

/// The engine's context, with partials taken from the embedded templates rather than from the
/// page's data (so a data key can never be mistaken for a partial).
class EmbeddedContext final : public kainjow::mustache::context<std::string> {
 public:
  explicit EmbeddedContext(const TemplateData* data) : context(data) {}
  [[nodiscard]] const TemplateData* get_partial(const std::string& name) const override {
    const auto found = partials().find(name);
    return found == partials().end() ? nullptr : &found->second;
  }
};

}  // namespace

std::string render_template(std::string_view name, const TemplateData& data) {
  const std::string_view text = template_text(name);
  if (text.empty()) throw std::logic_error("no embedded template named " + std::string(name));
  Mustache engine{std::string(text)};
  if (!engine.is_valid()) {
    throw std::logic_error("daemon/web/templates/" + std::string(name) +
                           ".mustache: " + engine.error_message());
  }
  EmbeddedContext context(&data);
  std::string html = engine.render(context);
  if (!engine.is_valid()) {
    throw std::logic_error("daemon/web/templates/" + std::string(name) +
                           ".mustache: " + engine.error_message());
  }
  return html;
}

std::vector<std::string> template_names() {
  std::vector<std::string> names;
  for (const auto& entry : partials()) names.push_back(entry.first);
  return names;
}

std::string_view template_text(std::string_view name) {
  const auto found = partials().find(name);
  if (found == partials().end()) return {};
  return found->second.string_value();
}

TemplateData text_list(const std::vector<std::string>& items) {
  TemplateData list(TemplateData::type::list);
  for (const auto& item : items) list.push_back(TemplateData(item));
  return list;
}

TemplateData flag(bool value) { return TemplateData(value); }

void set_text(TemplateData& data, const std::string& key, const std::string& value) {
  if (value.empty()) {
    data.set(key, TemplateData(false));
  } else {
    data.set(key, TemplateData(value));
  }
}

}  // namespace plancal::web
