#include "sync/writer.h"

#include <algorithm>
#include <iterator>

#include "sync/settlement.h"

namespace plancal::sync {

bool look(RemoteCalendar& remote, const FetchList& refs, Observations& observed,
          RunLedger& ledger) {
  if (refs.empty()) return true;
  std::vector<std::string> wanted;
  wanted.reserve(refs.size());
  for (const auto& [ref, uid] : refs) wanted.push_back(ref);
  auto fetched = remote.fetch(wanted);
  if (!fetched) {
    ledger.fail(fetched.error().message);
    return false;
  }
  add_fetched(refs, *fetched, observed);
  return true;
}

Writer::Writer(RemoteCalendar& remote, RunLedger& ledger, RemoteChangePolicy policy,
               SyncObserver* observer)
    : remote_(remote), ledger_(ledger), policy_(policy), observer_(observer) {}

void Writer::run(std::vector<PlannedOperation> writes) {
  tell_planned(writes.size());
  const std::size_t batch_size = std::max<std::size_t>(1, remote_.batch_size());
  for (int round = 0; round < kMaxRounds && !writes.empty() && !ledger_.halted(); ++round) {
    if (round > 0) tell_planned(writes.size());
    std::vector<PlannedOperation> follow_ups;
    for (std::size_t begin = 0; begin < writes.size() && !ledger_.halted(); begin += batch_size) {
      const std::size_t end = std::min(writes.size(), begin + batch_size);
      std::vector<PlannedOperation> batch(writes.begin() + static_cast<std::ptrdiff_t>(begin),
                                          writes.begin() + static_cast<std::ptrdiff_t>(end));
      auto more = send(batch);
      std::move(more.begin(), more.end(), std::back_inserter(follow_ups));
    }
    writes = std::move(follow_ups);
  }
  if (ledger_.halted()) return;
  for (const auto& planned : writes) ledger_.apply(give_up(planned, kMaxRounds));
}

std::vector<PlannedOperation> Writer::send(std::vector<PlannedOperation>& batch) {
  log_intents(batch);
  if (ledger_.halted()) return {};
  std::vector<Operation> ops;
  ops.reserve(batch.size());
  for (const auto& planned : batch) ops.push_back(planned.operation);
  const std::vector<WriteResult> answers = remote_.apply(ops);
  if (observer_ != nullptr) observer_->written(ledger_.target().key, batch.size());

  std::vector<PlannedOperation> follow_ups;
  std::vector<Settlement> settled;  // booked together: one commit for the batch's answers
  std::vector<const PlannedOperation*> racing;
  std::vector<const WriteResult*> racing_answers;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const WriteResult& answer = answers.at(i);
    if (settles_alone(batch[i], answer)) {
      settled.push_back(settle_answer(batch[i], answer, ledger_.now()));
    } else {
      racing.push_back(&batch[i]);
      racing_answers.push_back(&answer);
    }
  }
  ledger_.apply(settled);
  for (Settlement& one : settled) {
    if (one.next) follow_ups.push_back(std::move(*one.next));
  }
  settle_races(racing, racing_answers, follow_ups);
  return follow_ups;
}

void Writer::log_intents(std::vector<PlannedOperation>& batch) {
  std::vector<SyncItem> intents;
  intents.reserve(batch.size());
  for (auto& planned : batch) {
    if (planned.new_attempt) {
      planned.operation.attempt = ledger_.next_attempt();
      planned.new_attempt = false;
    }
    intents.push_back(intent_row(planned, ledger_.now()));
  }
  ledger_.put(intents);  // one commit, before any of the batch goes out
}

void Writer::settle_races(const std::vector<const PlannedOperation*>& racing,
                          const std::vector<const WriteResult*>& answers,
                          std::vector<PlannedOperation>& follow_ups) {
  if (racing.empty()) return;
  FetchList to_fetch;
  for (std::size_t i = 0; i < racing.size(); ++i) {
    const std::string ref = look_at(*racing[i], *answers[i]);
    if (!ref.empty()) to_fetch[ref] = racing[i]->operation.current.uid;
  }
  Observations seen;
  if (!look(remote_, to_fetch, seen, ledger_)) return;
  const SettleContext context{
      policy_, [this](const std::string& uid) { return remote_.ref_for_new(uid); }, ledger_.now()};
  for (const PlannedOperation* planned : racing) {
    const auto it = seen.find(planned->operation.current.uid);
    const Observation observed =
        it != seen.end() ? it->second : Observation{Observation::Kind::Gone, {}};
    take(settle_after_look(*planned, observed, context), follow_ups);
  }
}

void Writer::take(const Settlement& settled, std::vector<PlannedOperation>& follow_ups) {
  ledger_.apply(settled);
  if (settled.next) follow_ups.push_back(*settled.next);
}

void Writer::tell_planned(std::size_t writes) {
  if (observer_ != nullptr && writes > 0) observer_->planned(ledger_.target().key, writes);
}

}  // namespace plancal::sync
