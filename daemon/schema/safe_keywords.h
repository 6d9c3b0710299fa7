#pragma once
/// JSON Schema keywords that valijson checks unsafely on hostile input, checked by plancal.
///
/// valijson matches `pattern` (and `format`) with std::regex, which recurses once per
/// character and overflows the stack on a value of about 30 KB; and it compares every pair of
/// a `uniqueItems` array, reporting every equal pair, so half a million equal numbers in a
/// config take hours and gigabytes. Before valijson reads an embedded schema, these keywords
/// are renamed to plancal's own (`x-plancal-pattern`, `x-plancal-uniqueItems`), which custom
/// constraints check: patterns with the non-recursive matcher of schema/pattern.h, uniqueness
/// by sorting, reporting each repeated value once. The messages are valijson's own, so the
/// translation into plain language (schema_check.cpp) does not change.
///
/// `format` is an annotation only (JSON Schema leaves its checking optional); the embedded
/// schemas use `pattern` instead.

#include <nlohmann/json.hpp>

namespace valijson {
class SchemaParser;
}

namespace plancal {

/// `schema` with `pattern`, `uniqueItems` and `format` renamed wherever they are keywords
/// (not where they are property names under `properties`).
[[nodiscard]] nlohmann::json with_safe_keywords(const nlohmann::json& schema);

/// Teaches `parser` the renamed keywords. Throws (a bug in an embedded schema) when a pattern
/// uses syntax the matcher does not understand.
void add_safe_keyword_checks(valijson::SchemaParser& parser);

}  // namespace plancal
