#pragma once
/// Who gets which date row when organisations sign up for a series (seed 003: "de tre
/// organisasjonene som melder seg på først, er garantert plass", "vi vil forsøke å fordele
/// ukedagene slik at de passer for alle påmeldte organisasjoner"). A pure function of the rows'
/// places and the confirmed registrations, so every case is a unit test and `--dry-run` shows
/// exactly what would be sent.
///
/// The rule, in two steps:
///  1. who is placed: as many registrations as the rows allow, and among the ways to place
///     that many, the earlier registrations first. Taken in registration order, a
///     registration is placed whenever it can be placed together with those placed before it
///     (rows may be shuffled among them to make room), which gives both at once: the sets of
///     registrations that can be placed together form a matroid, and the greedy choice in
///     time order is a largest one that is earliest first.
///  2. which row: in registration order, each placed registration gets the first row of its
///     preferences that still leaves every later placed one a row. So an earlier registration
///     wins its preference over a later one, except where taking it would leave a later one
///     out: then it gets its next choice, and the explanation says which.
/// Registrations not placed form the waiting list, in registration order.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace plancal::signup {

struct RowPlaces {
  std::string key;   ///< "tirsdager"
  std::string name;  ///< "Datorekke 1: Tirsdager"
  int places = 1;    ///< places offered (0 for a row already full)
};

struct Registration {
  std::string id;
  std::string organisation;
  std::int64_t registered_at = 0;        ///< when the contact confirmed: the queue order
  std::vector<std::string> preferences;  ///< row keys, best first
};

struct Placement {
  std::string registration_id;
  std::optional<std::string> row;  ///< the row key; nullopt: on the waiting list
  int queue_number = 0;            ///< 1-based place in registration order
  int choice = 0;                  ///< 1-based rank of `row` in the preferences; 0 if waiting
  int waiting_number = 0;          ///< 1-based place on the waiting list; 0 if placed
  std::string explanation;         ///< Norwegian, for the organisation and the organiser
};

/// One placement per registration, in registration order (ties by id).
[[nodiscard]] std::vector<Placement> allocate(const std::vector<RowPlaces>& rows,
                                              std::vector<Registration> registrations);

/// After the placed registration `withdrawn` leaves: the first on the waiting list with a
/// free row among its preferences is placed there (its best free one); nobody already placed
/// is moved. Returns the new placements (the withdrawn one removed), and the id of the one
/// placed, if any, in `newly_placed`.
[[nodiscard]] std::vector<Placement> fill_vacancy(const std::vector<RowPlaces>& rows,
                                                  const std::vector<Registration>& registrations,
                                                  std::vector<Placement> placements,
                                                  const std::string& withdrawn,
                                                  std::optional<std::string>& newly_placed);

}  // namespace plancal::signup
