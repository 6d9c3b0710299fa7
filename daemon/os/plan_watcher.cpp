#include "os/plan_watcher.h"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace plancal {

namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t kWatchMask =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ATTRIB;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

bool is_watched_name(std::string_view name) {
  if (name.empty() || name.front() == '.') return false;
  return ends_with(name, ".yaml") || ends_with(name, ".yml") || ends_with(name, ".csv");
}

Result<PlanWatcher> PlanWatcher::open() {
  UniqueFd fd(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!fd.valid()) return Error{std::string("cannot start inotify: ") + std::strerror(errno)};
  return PlanWatcher(std::move(fd));
}

void PlanWatcher::watch(const std::vector<std::string>& files,
                        const std::vector<std::string>& dirs) {
  std::set<std::string> wanted;
  for (const auto& file : files) {
    const auto parent = fs::path(file).parent_path();
    wanted.insert(parent.empty() ? "." : parent.string());
  }
  for (const auto& dir : dirs) wanted.insert(dir);
  for (const auto& [wd, folder] : watches_) inotify_rm_watch(fd_.get(), wd);
  watches_.clear();
  for (const auto& folder : wanted) {
    const int wd = inotify_add_watch(fd_.get(), folder.c_str(), kWatchMask);
    if (wd < 0) {
      spdlog::warn("{}: cannot watch for plan changes: {}", folder, std::strerror(errno));
      continue;
    }
    watches_.emplace_back(wd, folder);
  }
}

bool PlanWatcher::drain() {
  alignas(inotify_event) std::array<char, 8192> buffer{};
  bool relevant = false;
  for (;;) {
    const ssize_t length = read(fd_.get(), buffer.data(), buffer.size());
    if (length <= 0) break;
    for (ssize_t offset = 0; offset < length;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + offset);
      const std::string_view name = event->len > 0 ? std::string_view(event->name) : "";
      if ((event->mask & IN_Q_OVERFLOW) != 0 || is_watched_name(name)) relevant = true;
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
  }
  return relevant;
}

std::set<std::string> PlanWatcher::folders() const {
  std::set<std::string> folders;
  for (const auto& [wd, folder] : watches_) folders.insert(folder);
  return folders;
}

}  // namespace plancal
