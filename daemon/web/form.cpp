#include "web/form.h"

#include <array>
#include <utility>

namespace plancal::web {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Decodes one name or value: '+' is a space, %XX a byte.
Result<std::string> decode_component(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
      continue;
    }
    if (c != '%') {
      out += c;
      continue;
    }
    if (text.size() - i < 3) return Error{"a %-escape is cut off"};
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return Error{"a %-escape is not two hex digits"};
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

/// The length of the UTF-8 sequence a lead byte starts and the bits it carries; 0 if invalid.
int sequence_length(unsigned char lead, unsigned int& code) {
  if (lead < 0x80U) {
    code = lead;
    return 1;
  }
  if ((lead & 0xE0U) == 0xC0U) {
    code = lead & 0x1FU;
    return 2;
  }
  if ((lead & 0xF0U) == 0xE0U) {
    code = lead & 0x0FU;
    return 3;
  }
  if ((lead & 0xF8U) == 0xF0U) {
    code = lead & 0x07U;
    return 4;
  }
  return 0;
}

/// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool valid_utf8(std::string_view text) {
  static constexpr std::array<unsigned int, 5> kSmallest = {0, 0, 0x80, 0x800, 0x10000};
  std::size_t i = 0;
  while (i < text.size()) {
    unsigned int code = 0;
    const int length = sequence_length(static_cast<unsigned char>(text[i]), code);
    if (length == 0 || text.size() - i < static_cast<std::size_t>(length)) return false;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((next & 0xC0U) != 0x80U) return false;
      code = (code << 6U) | (next & 0x3FU);
    }
    if (code < kSmallest.at(static_cast<std::size_t>(length)) || code > 0x10FFFFU ||
        (code >= 0xD800U && code <= 0xDFFFU)) {
      return false;
    }
    i += static_cast<std::size_t>(length);
  }
  return true;
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> parse_form_body(std::string_view body,
                                                                         const FormLimits& limits) {
  if (body.size() > limits.max_body_bytes) {
    return Error{"the form is " + std::to_string(body.size()) + " bytes, more than the " +
                 std::to_string(limits.max_body_bytes) + " a form may have"};
  }
  std::vector<std::pair<std::string, std::string>> fields;
  std::string_view rest = body;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    if (fields.size() == limits.max_fields) {
      return Error{"the form has more than " + std::to_string(limits.max_fields) + " fields"};
    }
    const auto eq = pair.find('=');
    auto name = decode_component(pair.substr(0, eq));
    if (!name.ok()) return name.error();
    auto value = decode_component(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (!value.ok()) return Error{"field " + name.value() + ": " + value.error().message};
    if (value->size() > limits.max_value_bytes) {
      return Error{"field " + name.value() + " is longer than " +
                   std::to_string(limits.max_value_bytes) + " bytes"};
    }
    if (!valid_utf8(name.value()) || !valid_utf8(value.value())) {
      return Error{"field " + name.value() + " is not valid UTF-8 text"};
    }
    fields.emplace_back(std::move(name.value()), std::move(value.value()));
  }
  return fields;
}

FormState::FormState(const std::vector<std::pair<std::string, std::string>>& fields) {
  for (const auto& [name, value] : fields) values_.emplace(name, value);
}

void FormState::set_value(const std::string& field, std::string value) {
  values_[field] = std::move(value);
}

const std::string& FormState::value(const std::string& field) const {
  static const std::string kEmpty;
  const auto found = values_.find(field);
  return found == values_.end() ? kEmpty : found->second;
}

void FormState::add_error(const std::string& field, std::string message) {
  errors_.emplace(field, std::move(message));
}

std::optional<std::string> FormState::error(const std::string& field) const {
  const auto found = errors_.find(field);
  if (found == errors_.end()) return std::nullopt;
  return found->second;
}

TemplateData field_data(const FieldSpec& spec, const FormState& form) {
  TemplateData data;
  const std::string id = "felt-" + spec.name;
  data.set("id", id);
  data.set("name", spec.name);
  data.set("label", spec.label);
  data.set("type", spec.type);
  data.set("value", form.value(spec.name));
  set_text(data, "hint", spec.hint);
  const auto error = form.error(spec.name);
  set_text(data, "error", error.value_or(""));
  data.set("required", flag(spec.required));
  set_text(data, "maxlength", spec.max_length > 0 ? std::to_string(spec.max_length) : "");
  std::string described_by;
  if (!spec.hint.empty()) described_by = id + "-hint";
  if (error) described_by += (described_by.empty() ? "" : " ") + id + "-feil";
  set_text(data, "described_by", described_by);
  return data;
}

}  // namespace plancal::web
