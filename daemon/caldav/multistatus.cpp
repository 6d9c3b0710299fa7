#include "caldav/multistatus.h"

#include <charconv>

#include "base/text.h"

namespace plancal::caldav {

namespace {

using xml::kDav;

PropStat to_propstat(const xml::Node& node) {
  PropStat propstat;
  propstat.status = parse_status_line(node.child_text(kDav, "status"));
  if (const xml::Node* prop = node.child(kDav, "prop")) propstat.props = prop->children;
  return propstat;
}

/// A DAV:response names one resource with propstats, or one or more with a shared status.
void add_responses(const xml::Node& node, std::vector<MultistatusResponse>& out) {
  MultistatusResponse base;
  if (const xml::Node* status = node.child(kDav, "status")) {
    base.status = parse_status_line(status->text);
  }
  for (const xml::Node* propstat : node.children_named(kDav, "propstat")) {
    base.propstats.push_back(to_propstat(*propstat));
  }
  if (const xml::Node* error = node.child(kDav, "error")) base.error = *error;
  for (const xml::Node* href : node.children_named(kDav, "href")) {
    MultistatusResponse response = base;
    response.href = std::string(trim(href->text));
    out.push_back(std::move(response));
  }
}

}  // namespace

const xml::Node* MultistatusResponse::found_prop(std::string_view ns,
                                                 std::string_view local) const {
  for (const auto& propstat : propstats) {
    if (propstat.status < 200 || propstat.status >= 300) continue;
    for (const auto& prop : propstat.props) {
      if (prop.is(ns, local)) return &prop;
    }
  }
  return nullptr;
}

std::string MultistatusResponse::prop_text(std::string_view ns, std::string_view local) const {
  const xml::Node* prop = found_prop(ns, local);
  return prop == nullptr ? std::string() : std::string(trim(prop->text));
}

int parse_status_line(std::string_view line) {
  line = trim(line);
  const auto space = line.find(' ');
  if (!line.starts_with("HTTP/") || space == std::string_view::npos) return 0;
  const std::string_view code = line.substr(space + 1, 3);
  int value = 0;
  const auto [end, error] = std::from_chars(code.data(), code.data() + code.size(), value);
  if (error != std::errc{} || end != code.data() + code.size() || value < 100 || value > 599) {
    return 0;
  }
  return value;
}

Result<Multistatus> parse_multistatus(std::string_view body) {
  auto root = xml::parse(body);
  if (!root) return root.error();
  if (!root->is(kDav, "multistatus")) {
    return Error{"expected a DAV:multistatus document, got {" + root->ns + "}" + root->local};
  }
  Multistatus result;
  for (const auto& child : root->children) {
    if (child.is(kDav, "response")) add_responses(child, result.responses);
  }
  result.sync_token = root->child_text(kDav, "sync-token");
  return result;
}

std::vector<Condition> conditions_of(const xml::Node& error) {
  std::vector<Condition> conditions;
  for (const auto& child : error.children) {
    conditions.push_back(Condition{child.ns, child.local, child.child_text(kDav, "href")});
  }
  return conditions;
}

std::vector<Condition> parse_error_body(std::string_view body) {
  if (trim(body).empty()) return {};
  const auto root = xml::parse(body);
  if (!root || !root->is(kDav, "error")) return {};
  return conditions_of(*root);
}

}  // namespace plancal::caldav
