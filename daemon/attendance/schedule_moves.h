#pragma once
/// Personal moves: a person who missed their own date of a meeting goes to another team's
/// date of the same meeting ("Du kan ta igjen møte 4 med Team C mandag 25. mars").
///
/// How a move reaches everything that shows a person's events: it rewrites the AUDIENCE of
/// the two occurrences, never their UIDs or times. The occurrence they leave gets
/// "+!person:ID" (expand/audience.h: that person no longer sees it), the one they go to
/// "+person:ID". Every selection of a person's events already asks expand's AudienceView
/// (personal feeds, per-person push targets, the leader's reminder digests, the personal
/// page), so applying the moves once, right after a plan is expanded and before it is
/// published or pushed (service/publish.cpp, service/sync.cpp), is all it takes; a new
/// selector (a cross-plan personal feed) follows as long as it reads published events or
/// expands through the same step. Team feeds are unchanged: the team's meeting is still the
/// team's, only the moved person's own calendar differs.

#include <string>
#include <vector>

#include "attendance/records.h"
#include "base/civil.h"
#include "base/result.h"
#include "expand/occurrence.h"
#include "plan/model.h"

namespace plancal {

/// Applies the moves of `occurrences`' plan; a move whose occurrences are not both there
/// (the plan dropped one) is left out, so nobody loses a meeting to a stale move.
void apply_personal_moves(std::vector<Occurrence>& occurrences,
                          const std::vector<PersonalMove>& moves);

/// The move of `person_id` to `to_uid`, checked against the plan as expanded WITHOUT moves:
/// the person is scheduled for another occurrence of the same meeting (that is the one they
/// leave), and `to_uid` is still ahead of `now` (wall-clock time in the plan's zone). Moving
/// a person to their own occurrence gives a move with from_uid == to_uid: "move back".
[[nodiscard]] Result<PersonalMove> make_personal_move(const Plan& plan,
                                                      const std::vector<Occurrence>& unmoved,
                                                      const std::string& person_id,
                                                      const std::string& to_uid,
                                                      LocalDateTime now);

}  // namespace plancal
