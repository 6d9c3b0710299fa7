#pragma once
/// How many places a date row offers for sign-up: what the sign-up page counts down from and
/// what allocation fills. One rule for both, so the page never shows a place allocation will
/// not give.

#include "plan/model.h"

namespace plancal {

/// A row without a `capacity` takes everyone who names it: in practice, no limit.
inline constexpr int kUnlimitedRowPlaces = 1000000;

/// 0 for a row marked FULLT (`full: true`), else its `capacity`, else no limit.
[[nodiscard]] inline int row_places_offered(const SeriesRow& row) {
  if (row.full) return 0;
  return row.capacity > 0 ? row.capacity : kUnlimitedRowPlaces;
}

}  // namespace plancal
