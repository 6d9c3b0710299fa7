#include "graph/batch_pipe.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>

namespace plancal::graph {

namespace {

using nlohmann::json;

http::Headers inner_headers(const json& object) {
  http::Headers headers;
  if (!object.is_object()) return headers;
  for (const auto& [name, value] : object.items()) {
    headers.add(name, value.is_string() ? value.get<std::string>() : value.dump());
  }
  return headers;
}

/// The position an inner response's id names, or `count` when it names none of ours.
std::size_t answered_index(const json& response, std::size_t count) {
  const std::string id = response.value("id", std::string());
  std::size_t index = count;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), index);
  if (error != std::errc() || end != id.data() + id.size()) return count;
  return index;
}

/// Graph's answer to one $batch of `count` items, item by item (the items' bodies are moved
/// out of `answer`, not copied).
std::vector<BatchPipe::Answer> split_answer(GraphResponse answer, std::size_t count) {
  const bool parsed = answer.status == 200 && answer.body.is_object() &&
                      answer.body.contains("responses") && answer.body["responses"].is_array();
  if (!parsed) return std::vector<BatchPipe::Answer>(count, BatchPipe::Answer{answer, false});
  std::vector<BatchPipe::Answer> out(
      count, BatchPipe::Answer{
                 GraphResponse{0, nullptr, {}, "the batch answer left this request out"}, true});
  for (json& item : answer.body["responses"]) {
    if (!item.is_object()) continue;
    const std::size_t index = answered_index(item, count);
    if (index >= count) continue;
    const auto body = item.find("body");
    const auto headers = item.find("headers");
    out[index].response =
        GraphResponse{item.value("status", 0),
                      body != item.end() ? std::move(*body) : json(nullptr),
                      headers != item.end() ? inner_headers(*headers) : http::Headers{},
                      {}};
  }
  return out;
}

/// {"requests": [...]} with each item numbered by its place: the id goes first in the item's
/// object, the rest of the item's text follows as the client serialized it.
std::string batch_payload(const std::vector<std::string>& items) {
  std::size_t size = 16;
  for (const std::string& item : items) size += item.size() + 16;
  std::string payload;
  payload.reserve(size);
  payload += R"({"requests":[)";
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (k > 0) payload += ',';
    payload += R"({"id":")";
    payload += std::to_string(k);
    payload += "\",";
    payload.append(items[k], 1);  // after the item's own "{"
  }
  payload += "]}";
  return payload;
}

}  // namespace

BatchPipe::BatchPipe(std::size_t max_items, std::size_t max_on_wire)
    : max_items_(std::max<std::size_t>(1, max_items)),
      max_on_wire_(std::max<std::size_t>(1, max_on_wire)) {}

std::vector<BatchPipe::Answer> BatchPipe::send(std::vector<std::string> items, const Post& post) {
  Submission mine;
  mine.unanswered = items.size();
  mine.answers.resize(items.size());
  mine.items = std::move(items);
  if (mine.unanswered == 0) return {};
  std::unique_lock lock(mutex_);
  queue_.push_back(&mine);
  while (mine.unanswered > 0) {
    if (!queue_.empty() && on_wire_ < max_on_wire_) {
      const std::vector<Slot> batch = take_batch();
      post_batch(batch, post, lock);
      continue;
    }
    changed_.wait(lock);
  }
  return std::move(mine.answers);
}

std::size_t BatchPipe::waiting() {
  const std::lock_guard lock(mutex_);
  return queue_.size();
}

std::vector<BatchPipe::Slot> BatchPipe::take_batch() {
  std::vector<Slot> batch;
  while (batch.size() < max_items_ && !queue_.empty()) {
    Submission* waiting = queue_.front();
    while (batch.size() < max_items_ && waiting->queued_from < waiting->items.size()) {
      batch.push_back(Slot{waiting, waiting->queued_from++});
    }
    if (waiting->queued_from == waiting->items.size()) queue_.pop_front();
  }
  return batch;
}

void BatchPipe::post_batch(const std::vector<Slot>& batch, const Post& post,
                           std::unique_lock<std::mutex>& lock) {
  ++on_wire_;
  std::vector<std::string> items;
  items.reserve(batch.size());
  for (const Slot& slot : batch) items.push_back(std::move(slot.owner->items[slot.index]));
  lock.unlock();
  const std::string payload = batch_payload(items);
  std::vector<Answer> answers = split_answer(post(payload), batch.size());
  lock.lock();
  --on_wire_;
  for (std::size_t k = 0; k < batch.size(); ++k) {
    batch[k].owner->answers[batch[k].index] = std::move(answers[k]);
    --batch[k].owner->unanswered;
  }
  changed_.notify_all();
}

}  // namespace plancal::graph
