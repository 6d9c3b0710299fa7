#pragma once
/// Occurrences as JSON for the `events.occurrence_json` column, and the content hash that
/// decides whether a subscriber would see a change.
///
/// The store keeps the whole occurrence (structured content and source location included) so
/// that an event removed from the plan can still be rendered as cancelled, and so reminders
/// and push targets can work from history without the plan file that produced it.

#include <string>

#include "base/result.h"
#include "expand/occurrence.h"

namespace plancal {

/// Every field of the occurrence as a JSON text.
[[nodiscard]] std::string encode_occurrence(const Occurrence& occurrence);
/// The inverse of encode_occurrence; an error when the text is not such a document.
[[nodiscard]] Result<Occurrence> decode_occurrence(const std::string& json_text);

/// SHA-256 (hex) over a canonical serialisation of what a subscriber sees: summary,
/// description, location, url, start, end, all_day, timezone, status, kind, categories and
/// audience. Deliberately not the source location or the structured content: moving a
/// meeting's lines around in the plan file must not look like a change to every calendar.
[[nodiscard]] std::string content_hash(const Occurrence& occurrence);

/// Both at once (what publishing needs for every occurrence), sharing the work.
struct EncodedOccurrence {
  std::string json;          ///< encode_occurrence()
  std::string content_hash;  ///< content_hash()
};
[[nodiscard]] EncodedOccurrence encode_with_hash(const Occurrence& occurrence);

}  // namespace plancal
