#include "web/page_cache.h"

#include <mutex>

#include "web/page_response.h"

namespace plancal::web {

std::shared_ptr<const RenderedPage> make_rendered_page(std::string html,
                                                       std::optional<std::int64_t> valid_until) {
  auto page = std::make_shared<RenderedPage>();
  page->etag = etag_of(html);
  page->gzip_etag = page->etag.substr(0, page->etag.size() - 1) + "-gzip\"";
  page->identity = std::move(html);
  page->valid_until = valid_until;
  return page;
}

std::shared_ptr<const RenderedPage> PageCache::find(std::string_view key, std::uint64_t generation,
                                                    std::int64_t now) const {
  const std::shared_lock lock(mutex_);
  if (generation != generation_) return nullptr;
  const auto found = pages_.find(std::string(key));
  if (found == pages_.end()) return nullptr;
  const auto& page = found->second;
  if (page->valid_until && now >= *page->valid_until) return nullptr;
  return page;
}

void PageCache::store(const std::string& key, std::uint64_t generation,
                      std::shared_ptr<const RenderedPage> page) {
  // The gzip form, when made, is a fraction of the HTML: counted as half of it.
  const std::size_t size = page->identity.size() * 3 / 2;
  const std::unique_lock lock(mutex_);
  if (generation != generation_) return;
  if (bytes_ + size > max_bytes_) {
    pages_.clear();
    bytes_ = 0;
  }
  auto [slot, added] = pages_.try_emplace(key, page);
  if (!added) {
    bytes_ -= slot->second->identity.size() * 3 / 2;
    slot->second = std::move(page);
  }
  bytes_ += size;
}

void PageCache::start_generation(std::uint64_t generation) {
  const std::unique_lock lock(mutex_);
  generation_ = generation;
  pages_.clear();
  bytes_ = 0;
}

std::size_t PageCache::size() const {
  const std::shared_lock lock(mutex_);
  return pages_.size();
}

std::size_t PageCache::bytes() const {
  const std::shared_lock lock(mutex_);
  return bytes_;
}

}  // namespace plancal::web
