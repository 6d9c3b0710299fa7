#pragma once
/// Forms that come back with the errors next to the fields and everything typed kept: the
/// values of a submitted form, an error per field, and the template data for
/// templates/form_field.mustache. Also the parsing of an application/x-www-form-urlencoded
/// body, with limits, since a form body is input from anyone.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "web/templates.h"

namespace plancal::web {

/// Bounds on a form body; past them it is refused as a whole (bad input, not a crash).
struct FormLimits {
  std::size_t max_body_bytes = std::size_t{64} * 1024;
  std::size_t max_fields = 100;
  std::size_t max_value_bytes = 4096;
};

/// The fields of an application/x-www-form-urlencoded body, in order ('+' is a space, %XX a
/// byte). An error that says which limit was passed, or that a %-escape or the UTF-8 is
/// broken; a field name that repeats keeps every value.
[[nodiscard]] Result<std::vector<std::pair<std::string, std::string>>> parse_form_body(
    std::string_view body, const FormLimits& limits = {});

/// One form as the user filled it in, and what is wrong with it.
class FormState {
 public:
  FormState() = default;
  /// The submitted fields; a repeated name keeps its first value.
  explicit FormState(const std::vector<std::pair<std::string, std::string>>& fields);

  void set_value(const std::string& field, std::string value);
  /// The value typed, or empty.
  [[nodiscard]] const std::string& value(const std::string& field) const;

  /// Notes an error for `field`, written for the person filling in the form ("Skriv inn en
  /// e-postadresse."); the first error of a field is the one shown.
  void add_error(const std::string& field, std::string message);
  [[nodiscard]] std::optional<std::string> error(const std::string& field) const;
  [[nodiscard]] bool has_errors() const { return !errors_.empty(); }

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::string> errors_;
};

/// How one field is shown.
struct FieldSpec {
  std::string name;   ///< the form field's name
  std::string label;  ///< "E-postadresse"
  std::string type = "text";
  std::string hint;  ///< a line under the label; may be empty
  bool required = false;
  std::size_t max_length = 0;  ///< 0: no maxlength attribute
};

/// Template data for templates/form_field.mustache: the label, the value kept, and the error
/// next to the field (aria-invalid, aria-describedby), all escaped by the template.
[[nodiscard]] TemplateData field_data(const FieldSpec& spec, const FormState& form);

}  // namespace plancal::web
