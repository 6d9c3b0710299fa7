#include "httpd/content_coding.h"
#include "base/text.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

namespace plancal::httpd {

namespace {

/// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths.
std::optional<int> parse_qvalue(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  int thousandths = (text[0] - '0') * 1000;
  if (text.size() == 1) return thousandths;
  if (text[1] != '.' || text.size() > 5) return std::nullopt;
  int scale = 100;
  for (const char c : text.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    thousandths += (c - '0') * scale;
    scale /= 10;
  }
  if (thousandths > 1000) return std::nullopt;
  return thousandths;
}

/// The weight of one element ("gzip;q=0.5"), 1000 when no q parameter is given.
int weight_of(std::string_view parameters) {
  int weight = 1000;
  while (!parameters.empty()) {
    const auto semicolon = parameters.find(';');
    const auto parameter = trim(parameters.substr(0, semicolon));
    parameters =
        semicolon == std::string_view::npos ? std::string_view{} : parameters.substr(semicolon + 1);
    const auto equals = parameter.find('=');
    if (equals == std::string_view::npos) continue;
    if (!equals_ignoring_case(trim(parameter.substr(0, equals)), "q")) continue;
    weight = parse_qvalue(trim(parameter.substr(equals + 1))).value_or(0);
  }
  return weight;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  std::optional<int> gzip_weight;
  std::optional<int> wildcard_weight;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    const auto element = trim(accept_encoding.substr(0, comma));
    accept_encoding =
        comma == std::string_view::npos ? std::string_view{} : accept_encoding.substr(comma + 1);
    const auto semicolon = element.find(';');
    const auto coding = trim(element.substr(0, semicolon));
    const auto parameters =
        semicolon == std::string_view::npos ? std::string_view{} : element.substr(semicolon + 1);
    if (equals_ignoring_case(coding, "gzip") || equals_ignoring_case(coding, "x-gzip")) {
      gzip_weight = std::max(gzip_weight.value_or(0), weight_of(parameters));
    } else if (coding == "*") {
      wildcard_weight = weight_of(parameters);
    }
  }
  if (gzip_weight) return *gzip_weight > 0;
  return wildcard_weight.value_or(0) > 0;
}

}  // namespace plancal::httpd
