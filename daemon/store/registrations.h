#pragma once
/// Registrations for the date rows of a series (issue 17, seed 003): an organisation signs up
/// on the public page, its contact confirms the email address by a link, and the allocation
/// (signup/allocation.h) places it in a row or on the waiting list.
///
/// A registration counts only once confirmed (a typo or a bot fills no place); an unconfirmed
/// one expires a day after it was made and is deleted by expire_unconfirmed(). Every change of
/// state is kept as a history row, for the organiser's view and `registrations list`.
///
/// The links are never stored: a row keeps the nonces they are derived from with the link key
/// (store/link_key.h, a file outside the database) and each link's SHA-256, so a copy of the
/// database confirms or withdraws nothing. The mails (confirm, receipt) are planned in the
/// same transaction as the change they tell of (store/registration_mails.h).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/database.h"

namespace plancal {

enum class RegistrationState { Unconfirmed, Confirmed, Placed, Waiting, Withdrawn };

[[nodiscard]] const char* to_string(RegistrationState state);

/// How long an unconfirmed registration waits for its confirmation: a day.
inline constexpr std::int64_t kUnconfirmedLifetimeSeconds = std::int64_t{24} * 60 * 60;

struct RegistrationRecord {
  std::int64_t id = 0;
  std::string plan_id;
  std::string series_key;
  std::string organisation;
  std::string contact_name;
  std::string email;
  int participants = 0;
  std::vector<std::string> preferences;  ///< row keys, best first
  RegistrationState state = RegistrationState::Unconfirmed;
  std::optional<std::string> placed_row;
  std::string confirm_nonce;  ///< confirm link = derive_token_secret(link key, nonce)
  std::string change_nonce;   ///< change/withdraw link, likewise
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> confirmed_at;  ///< the queue order of the allocation
  std::int64_t updated_at = 0;
};

/// One line of a registration's history.
struct RegistrationEvent {
  std::int64_t at = 0;
  RegistrationState state = RegistrationState::Unconfirmed;
  std::optional<std::string> placed_row;
  std::string note;
};

/// A registration to store; the caller makes the nonces and hashes from the link key, which
/// the store never sees.
struct NewRegistration {
  std::string plan_id;
  std::string series_key;
  std::string organisation;
  std::string contact_name;
  std::string email;
  int participants = 0;
  std::vector<std::string> preferences;
  std::string confirm_nonce;
  std::string confirm_hash;
  std::string change_nonce;
  std::string change_hash;
  std::string confirm_message_id;  ///< the confirmation mail, planned with the registration
};

/// What the allocation decided for one registration.
struct RegistrationPlacement {
  std::int64_t id = 0;
  std::optional<std::string> row;  ///< nullopt: the waiting list
  std::string note;                ///< the explanation, kept in the history
  /// The placement mail's Message-ID: a mail telling the contact is planned with the change
  /// when the registration's state or row changes. Empty: no mail.
  std::string message_id;
};

class RegistrationStore {
 public:
  explicit RegistrationStore(StateDatabase database) : database_(std::move(database)) {}

  /// In ONE transaction: stores the registration (unconfirmed, expiring a day after `now`),
  /// its first history line and its planned confirmation mail.
  [[nodiscard]] Result<RegistrationRecord> add(const NewRegistration& registration,
                                               std::int64_t now);

  /// The unexpired registration whose confirm link has this hash (any state), or nullopt.
  [[nodiscard]] Result<std::optional<RegistrationRecord>> find_by_confirm_hash(
      const std::string& confirm_hash, std::int64_t now);
  /// The registration whose change link has this hash, or nullopt.
  [[nodiscard]] Result<std::optional<RegistrationRecord>> find_by_change_hash(
      const std::string& change_hash);

  /// Confirms the unexpired unconfirmed registration whose confirm link has this hash and
  /// plans its receipt mail, in one transaction. Returns the registration as it is now
  /// (already confirmed: unchanged, no second receipt), or nullopt for an unknown or expired
  /// link.
  [[nodiscard]] Result<std::optional<RegistrationRecord>> confirm(
      const std::string& confirm_hash, const std::string& receipt_message_id, std::int64_t now);

  /// Withdraws the registration whose change link has this hash; nullopt for an unknown link.
  [[nodiscard]] Result<std::optional<RegistrationRecord>> withdraw(const std::string& change_hash,
                                                                   std::int64_t now);

  /// Writes an allocation in one transaction: each registration whose state or row changes
  /// is placed or put on the waiting list, with a history line carrying the explanation and a
  /// placement mail (kind placement, the explanation as its note). A placement that changes
  /// nothing writes nothing, so allocating again adds no history and sends no mail; one for
  /// a registration withdrawn meanwhile is skipped. Returns the placements written.
  [[nodiscard]] Result<std::vector<RegistrationPlacement>> apply_placements(
      const std::vector<RegistrationPlacement>& placements, std::int64_t now);

  /// Decides from one series' registrations as they are inside a write transaction
  /// (`decide` gets every registration of the series, any state) and writes what changes,
  /// as apply_placements does. Reading and writing under one lock means two allocations at
  /// once (a withdrawal on the page while the daemon settles) never give a place twice.
  using PlacementDecision =
      std::function<std::vector<RegistrationPlacement>(const std::vector<RegistrationRecord>&)>;
  [[nodiscard]] Result<std::vector<RegistrationPlacement>> reallocate(
      const std::string& plan_id, const std::string& series_key, const PlacementDecision& decide,
      std::int64_t now);

  /// Deletes unconfirmed registrations whose day has passed (with their mails and history);
  /// returns how many.
  [[nodiscard]] Result<int> expire_unconfirmed(std::int64_t now);

  /// The registrations of `plan_id` (every plan when empty), in the order they were made.
  [[nodiscard]] Result<std::vector<RegistrationRecord>> registrations(const std::string& plan_id);
  /// One registration's history, oldest first.
  [[nodiscard]] Result<std::vector<RegistrationEvent>> history(std::int64_t registration_id);

 private:
  StateDatabase database_;
};

}  // namespace plancal
