#include "web/templates.h"

#include <map>
#include <stdexcept>
#include <utility>

#include "base/text.h"

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

std::logic_error template_error(std::string_view name, const Mustache& engine) {
  return std::logic_error("daemon/web/templates/" + std::string(name) +
                          ".mustache: " + engine.error_message());
}

/// Partials nest this deep at most; deeper is a template including itself.
constexpr int kMaxPartialDepth = 8;

/// `text` with every partial tag (`{{> name}}`) replaced by that template's text, itself
/// expanded. The engine renders a partial exactly as if its text stood in the tag's place,
/// but parses it again at every use: a page's partials, parsed once per person, cost more than
/// the rest of its rendering. A tag naming no template renders nothing, as in the engine.
std::string with_partials_inlined(std::string_view text, int depth) {
  if (depth > kMaxPartialDepth) throw std::logic_error("web templates: partials nest too deep");
  std::string out;
  while (true) {
    const auto open = text.find("{{>");
    if (open == std::string_view::npos) break;
    const auto close = text.find("}}", open);
    if (close == std::string_view::npos) break;  // the engine reports the unclosed tag
    std::string_view partial = text.substr(open + 3, close - open - 3);
    while (!partial.empty() && partial.front() == ' ') partial.remove_prefix(1);
    while (!partial.empty() && partial.back() == ' ') partial.remove_suffix(1);
    out += text.substr(0, open);
    out += with_partials_inlined(template_text(partial), depth + 1);
    text.remove_prefix(close + 2);
  }
  out += text;
  return out;
}

/// A parsed template and how long its last page came out on this thread.
struct ParsedTemplate {
  Mustache engine;
  std::size_t last_size = 0;
};

/// The template `name`, its partials inlined, parsed once per thread: an engine holds no
/// state between renders but its error, and is not made to be shared between threads.
ParsedTemplate& parsed_template(std::string_view name) {
  thread_local std::map<std::string, ParsedTemplate, std::less<>> engines;
  auto found = engines.find(name);
  if (found != engines.end()) return found->second;
  const std::string_view text = template_text(name);
  if (text.empty()) throw std::logic_error("no embedded template named " + std::string(name));
  Mustache engine{with_partials_inlined(text, 0)};
  if (!engine.is_valid()) throw template_error(name, engine);
  // The engine's own escaping, in the same way (&apos; included), but copying the runs
  // between special characters whole rather than one character at a time.
  engine.set_custom_escape([](const std::string& value) { return escape_markup(value, "&apos;"); });
  return engines.emplace(std::string(name), ParsedTemplate{std::move(engine), 0}).first->second;
}

/// Where the engine writes a page: straight into its text, made about as long as the last
/// page of the same template. The engine's own way, an ostringstream, grew its buffer piece by
/// piece and copied the page out once more: a fifth of rendering 5,000 pages ahead (perf).
struct TextSink {
  std::string& text;
  TextSink& operator<<(const std::string& piece) {
    text += piece;
    return *this;
  }
};

}  // namespace

std::string render_template(std::string_view name, const TemplateData& data) {
  ParsedTemplate& parsed = parsed_template(name);
  EmbeddedContext context(&data);
  std::string html;
  html.reserve(parsed.last_size + parsed.last_size / 8);
  TextSink sink{html};
  parsed.engine.render(context, sink);
  if (!parsed.engine.is_valid()) throw template_error(name, parsed.engine);  // a bug
  parsed.last_size = html.size();
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
