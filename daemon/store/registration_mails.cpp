#include "store/registration_mails.h"

namespace plancal {

namespace {

RegistrationMailKind kind_from(std::string_view text) {
  if (text == "receipt") return RegistrationMailKind::Receipt;
  if (text == "placement") return RegistrationMailKind::Placement;
  return RegistrationMailKind::Confirm;
}

struct DueMail {
  std::int64_t id = 0;
  std::int64_t registration_id = 0;
  RegistrationMailKind kind = RegistrationMailKind::Confirm;
  std::string message_id;
  int attempts = 0;
  std::string note;
};

}  // namespace

Result<std::vector<RegistrationMail>> RegistrationMailStore::due(std::int64_t now) {
  std::vector<DueMail> rows;
  auto read = read_due("id, registration_id, kind, message_id, attempts, note", now,
                       [&](const sqlite::Statement& row) {
                         rows.push_back({row.int64(0), row.int64(1), kind_from(row.text(2)),
                                         row.text(3), static_cast<int>(row.int64(4)), row.text(5)});
                       });
  if (!read) return Error{"reading registration mails failed: " + read.error().message};
  if (rows.empty()) return std::vector<RegistrationMail>{};
  auto registrations = RegistrationStore(database()).registrations("");
  if (!registrations) return registrations.error();
  std::vector<RegistrationMail> mails;
  for (const auto& row : rows) {
    for (const auto& registration : *registrations) {
      if (registration.id != row.registration_id) continue;
      mails.push_back({row.id, row.kind, row.message_id, row.attempts, row.note, registration});
    }
  }
  return mails;
}

}  // namespace plancal
