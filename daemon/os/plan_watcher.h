#pragma once
/// Notices edits to the config and plan files through inotify. It watches the folders that
/// hold them, not the files: editors and deploy tools save by writing a new file and
/// renaming it over the old one, which a watch on the old inode would never see. A burst of
/// events (write, rename, chmod) is one change: the caller waits for a quiet moment.

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "os/unique_fd.h"

namespace plancal {

class PlanWatcher {
 public:
  [[nodiscard]] static Result<PlanWatcher> open();

  /// Watches the folders of `files` and the folders in `dirs` (replacing earlier watches).
  /// A folder that cannot be watched is logged and skipped.
  void watch(const std::vector<std::string>& files, const std::vector<std::string>& dirs);

  /// The fd to poll for POLLIN.
  [[nodiscard]] int fd() const { return fd_.get(); }

  /// Reads the pending events; true when one of them touched a plan, roster or config file
  /// (*.yaml, *.yml, *.csv), false for editor scratch files and the like.
  [[nodiscard]] bool drain();

  /// The folders watched now (for tests and the start-up log line).
  [[nodiscard]] std::set<std::string> folders() const;

 private:
  explicit PlanWatcher(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
  std::vector<std::pair<int, std::string>> watches_;  ///< watch descriptor, folder
};

/// Whether a file name is one whose change should republish (not `.plan.yaml.swp`, `x~`).
[[nodiscard]] bool is_watched_name(std::string_view name);

}  // namespace plancal
