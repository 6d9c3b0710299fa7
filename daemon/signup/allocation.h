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
///
/// A placement that has been announced stays put: allocating again (a registration confirmed
/// late, a withdrawal, a new row) keeps every registration in `kept` in its row and applies
/// the rule above to the others, in the places left. So a withdrawal places the first on the
/// waiting list whose preferences fit, and a new row ("flere parallelle møterekker") places
/// the waiting list, without moving anyone who was told where they are.

#include <cstdint>
#include <map>
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

/// Registration id → the row it was placed in and told of.
using KeptRows = std::map<std::string, std::string>;

/// One placement per registration, in registration order (ties by id, shorter ids first, so
/// numeric ids sort as numbers). A registration in `kept` keeps its row when the row still
/// exists (a removed row's registrations are allocated again), even where the row now offers
/// fewer places than it holds.
[[nodiscard]] std::vector<Placement> allocate(const std::vector<RowPlaces>& rows,
                                              std::vector<Registration> registrations,
                                              const KeptRows& kept = {});

}  // namespace plancal::signup
