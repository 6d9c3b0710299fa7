#pragma once
/// BatchPipe: the $batch requests of one Graph connection, shared by all its mailboxes.
///
/// Graph takes up to 20 requests in one $batch, for any resources, so several mailboxes can
/// share one (https://learn.microsoft.com/graph/json-batching). Each mailbox's client hands
/// the pipe its items (at most four, the slots it holds: graph/mailbox_limiter.h) and waits
/// for their answers; the pipe puts waiting items of any mailboxes together, 20 to a $batch,
/// with a few $batch requests on the wire at once. While they are out, new items gather, so
/// under load each $batch goes out full without any waiting on purpose. No thread of its own:
/// a waiting client sends the next $batch for everyone.
///
/// The pipe only carries items, serialized once by their client: what an answer means
/// (throttled, to send again) stays with the client that gave the item (graph/client.h).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "graph/client.h"

namespace plancal::graph {

class BatchPipe {
 public:
  /// Posts one $batch payload ({"requests": [...]}, serialized) and returns Graph's answer;
  /// called by whichever client sends the batch, so the request counts as that client's.
  using Post = std::function<GraphResponse(const std::string& payload)>;

  /// `max_items`: Graph's limit per $batch. `max_on_wire`: $batch requests out at once.
  explicit BatchPipe(std::size_t max_items = 20, std::size_t max_on_wire = kBatchesOnWire);
  BatchPipe(const BatchPipe&) = delete;
  BatchPipe& operator=(const BatchPipe&) = delete;

  /// The answer to one item.
  struct Answer {
    GraphResponse response;
    /// false: Graph did not answer the $batch with 200 and a list of responses, and
    /// `response` is its answer to the whole $batch (or status 0: no answer at all).
    bool item = true;
  };

  /// Sends `items` (batch items without an "id", each a serialized JSON object with at least
  /// one member; the pipe numbers them) and waits for one answer per item, in order; an item
  /// the batch answer left out gets status 0. `post` is used if this thread sends a $batch.
  [[nodiscard]] std::vector<Answer> send(std::vector<std::string> items, const Post& post);

  /// Clients whose items wait for a place in a $batch (for tests and diagnostics).
  [[nodiscard]] std::size_t waiting();

  /// $batch requests out at once by default: enough to keep Graph busy while plancal reads
  /// answers, few enough that items gather into full batches.
  static constexpr std::size_t kBatchesOnWire = 4;

 private:
  /// One client's items, waiting in the queue or on the wire.
  struct Submission {
    std::vector<std::string> items;
    std::vector<Answer> answers;
    std::size_t queued_from = 0;  ///< items before this one are in a batch already
    std::size_t unanswered = 0;
  };
  struct Slot {
    Submission* owner;
    std::size_t index;
  };

  /// Takes up to max_items waiting items off the queue (lock held).
  [[nodiscard]] std::vector<Slot> take_batch();
  /// Posts `batch` and hands each item its answer (lock not held while posting).
  void post_batch(const std::vector<Slot>& batch, const Post& post,
                  std::unique_lock<std::mutex>& lock);

  std::size_t max_items_;
  std::size_t max_on_wire_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Submission*> queue_;
  std::size_t on_wire_ = 0;
};

}  // namespace plancal::graph
