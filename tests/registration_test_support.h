#pragma once
/// A registration for seed 003's depth meetings (plan dybdemoter-2021, series dybdemote) as the
/// sign-up page stores one, for the tests of the store, the allocation, the mails and the pages.
/// The test chooses the links' secrets; only their SHA-256 is stored, as the page stores them,
/// and the nonces and the confirmation mail's Message-ID are made from the organisation.

#include <string>
#include <utility>
#include <vector>

#include "base/hash.h"
#include "store/registrations.h"

namespace plancal::testing {

inline NewRegistration seed003_registration(const std::string& organisation,
                                            const std::string& email, std::vector<std::string> rows,
                                            const std::string& confirm_secret,
                                            const std::string& change_secret) {
  NewRegistration r;
  r.plan_id = "dybdemoter-2021";
  r.series_key = "dybdemote";
  r.organisation = organisation;
  r.contact_name = "Kari Nordmann";
  r.email = email;
  r.participants = 4;
  r.preferences = std::move(rows);
  r.confirm_nonce = "nonce-c-" + organisation;
  r.confirm_hash = sha256_hex(confirm_secret);
  r.change_nonce = "nonce-w-" + organisation;
  r.change_hash = sha256_hex(change_secret);
  r.confirm_message_id = "<confirm-" + sha256_hex(organisation).substr(0, 16) + "@plancal.test>";
  return r;
}

}  // namespace plancal::testing
