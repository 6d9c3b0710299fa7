#include "signup/allocation.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace plancal::signup {

namespace {

/// The registrations and rows as indices, with the rows each registration accepts.
struct Problem {
  std::vector<int> capacity;              ///< per row
  std::vector<std::vector<int>> accepts;  ///< per registration: row indices, best first
};

/// Bipartite matching with row capacities (Kuhn's augmenting paths): which row each
/// registration holds (-1: none). Rows are few and registrations at most a few hundred.
class Matching {
 public:
  Matching(const Problem& problem, std::vector<int> capacity)
      : problem_(problem),
        capacity_(std::move(capacity)),
        holders_(capacity_.size()),
        row_of_(problem.accepts.size(), -1) {}

  /// Places `registration`, moving others along an augmenting path if needed; false when it
  /// cannot be placed together with everyone placed so far (nothing changes then).
  bool place(int registration) {
    std::vector<bool> visited(capacity_.size(), false);
    return augment(registration, visited);
  }

 private:
  bool augment(int registration, std::vector<bool>& visited) {
    for (const int row : problem_.accepts[registration]) {
      if (visited[row]) continue;
      visited[row] = true;
      auto& holders = holders_[row];
      if (static_cast<int>(holders.size()) < capacity_[row]) {
        holders.push_back(registration);
        row_of_[registration] = row;
        return true;
      }
      for (int& holder : holders) {
        if (augment(holder, visited)) {  // the holder moved to another row
          holder = registration;
          row_of_[registration] = row;
          return true;
        }
      }
    }
    return false;
  }

  const Problem& problem_;
  std::vector<int> capacity_;
  std::vector<std::vector<int>> holders_;
  std::vector<int> row_of_;
};

/// Whether every registration in `open` can get a row of the capacity left.
bool all_placeable(const Problem& problem, const std::vector<int>& capacity,
                   const std::vector<int>& open) {
  Matching matching(problem, capacity);
  return std::all_of(open.begin(), open.end(), [&](int r) { return matching.place(r); });
}

Problem problem_of(const std::vector<RowPlaces>& rows,
                   const std::vector<Registration>& registrations) {
  std::map<std::string, int> index;
  Problem problem;
  for (const auto& row : rows) {
    index.emplace(row.key, static_cast<int>(problem.capacity.size()));
    problem.capacity.push_back(std::max(0, row.places));
  }
  for (const auto& registration : registrations) {
    std::vector<int> accepts;
    for (const auto& key : registration.preferences) {
      const auto it = index.find(key);
      if (it != index.end() &&
          std::find(accepts.begin(), accepts.end(), it->second) == accepts.end()) {
        accepts.push_back(it->second);
      }
    }
    problem.accepts.push_back(std::move(accepts));
  }
  return problem;
}

/// Step 1: the earliest largest set of registrations that can be placed together.
std::vector<int> placed_set(const Problem& problem) {
  Matching matching(problem, problem.capacity);
  std::vector<int> placed;
  for (int r = 0; r < static_cast<int>(problem.accepts.size()); ++r) {
    if (matching.place(r)) placed.push_back(r);
  }
  return placed;
}

/// Step 2: in order, each placed registration's best row that leaves the rest placeable.
std::map<int, int> rows_for(const Problem& problem, const std::vector<int>& placed) {
  std::vector<int> capacity = problem.capacity;
  std::map<int, int> row_of;
  for (std::size_t i = 0; i < placed.size(); ++i) {
    const int r = placed[i];
    const std::vector<int> later(placed.begin() + static_cast<std::ptrdiff_t>(i) + 1, placed.end());
    for (const int row : problem.accepts[r]) {
      if (capacity[row] == 0) continue;
      --capacity[row];
      if (all_placeable(problem, capacity, later)) {
        row_of[r] = row;
        break;
      }
      ++capacity[row];
    }
  }
  return row_of;
}

std::string choice_text(int choice) {
  return choice == 1 ? "" : " (" + std::to_string(choice) + ". valg)";
}

std::string placed_text(const RowPlaces& row, int queue_number, int choice) {
  return row.name + ": plassert som nr. " + std::to_string(queue_number) + " i køen" +
         choice_text(choice);
}

std::string waiting_text(int waiting_number, int queue_number, bool accepts_any) {
  return "Venteliste nr. " + std::to_string(waiting_number) + " (nr. " +
         std::to_string(queue_number) + " i køen): " +
         (accepts_any ? "datorekkene dere kan ta, er fulle" : "ingen datorekke er valgt");
}

void sort_by_queue(std::vector<Registration>& registrations) {
  std::sort(registrations.begin(), registrations.end(),
            [](const Registration& a, const Registration& b) {
              const auto a_id_length = a.id.size();
              const auto b_id_length = b.id.size();
              return std::tie(a.registered_at, a_id_length, a.id) <
                     std::tie(b.registered_at, b_id_length, b.id);
            });
}

/// Numbers the waiting list and writes its explanations; `accepts_any` says, per placement,
/// whether the registration chose any row that exists.
void number_waiting_list(const std::vector<bool>& accepts_any, std::vector<Placement>& placements) {
  int waiting = 0;
  for (std::size_t i = 0; i < placements.size(); ++i) {
    auto& p = placements[i];
    if (p.row) continue;
    p.waiting_number = ++waiting;
    p.explanation = waiting_text(p.waiting_number, p.queue_number, accepts_any[i]);
  }
}

int rank_of(const Registration& registration, const std::string& row) {
  const auto& prefs = registration.preferences;
  return static_cast<int>(std::find(prefs.begin(), prefs.end(), row) - prefs.begin()) + 1;
}

/// The registrations split into those keeping an announced row and those to allocate, with
/// the places the kept ones leave.
struct OpenProblem {
  std::vector<RowPlaces> rows_left;
  std::map<std::size_t, std::size_t> kept_row;  ///< registration index → row index
  std::vector<std::size_t> open;                ///< registration indices, in queue order
};

OpenProblem split_kept(const std::vector<RowPlaces>& rows,
                       const std::vector<Registration>& registrations, const KeptRows& kept) {
  OpenProblem split{rows, {}, {}};
  for (std::size_t i = 0; i < registrations.size(); ++i) {
    const auto announced = kept.find(registrations[i].id);
    const auto row = announced == kept.end()
                         ? rows.end()
                         : std::find_if(rows.begin(), rows.end(), [&](const RowPlaces& r) {
                             return r.key == announced->second;
                           });
    if (row == rows.end()) {
      split.open.push_back(i);
      continue;
    }
    const auto index = static_cast<std::size_t>(row - rows.begin());
    split.kept_row[i] = index;
    int& places = split.rows_left[index].places;
    places = std::max(0, places - 1);
  }
  return split;
}

}  // namespace

std::vector<Placement> allocate(const std::vector<RowPlaces>& rows,
                                std::vector<Registration> registrations, const KeptRows& kept) {
  sort_by_queue(registrations);
  const OpenProblem split = split_kept(rows, registrations, kept);
  std::vector<Registration> open;
  for (const std::size_t i : split.open) open.push_back(registrations[i]);
  const Problem problem = problem_of(split.rows_left, open);
  std::map<std::size_t, std::size_t> row_of = split.kept_row;
  for (const auto& [open_index, row] : rows_for(problem, placed_set(problem))) {
    row_of[split.open[static_cast<std::size_t>(open_index)]] = static_cast<std::size_t>(row);
  }
  std::vector<bool> accepts_any(registrations.size(), true);
  for (std::size_t j = 0; j < split.open.size(); ++j) {
    accepts_any[split.open[j]] = !problem.accepts[j].empty();
  }
  std::vector<Placement> placements;
  for (std::size_t r = 0; r < registrations.size(); ++r) {
    Placement p;
    p.registration_id = registrations[r].id;
    p.queue_number = static_cast<int>(r) + 1;
    if (const auto it = row_of.find(r); it != row_of.end()) {
      const RowPlaces& row = rows[it->second];
      p.row = row.key;
      p.choice = rank_of(registrations[r], row.key);
      p.explanation = placed_text(row, p.queue_number, p.choice);
    }
    placements.push_back(std::move(p));
  }
  number_waiting_list(accepts_any, placements);
  return placements;
}

}  // namespace plancal::signup
