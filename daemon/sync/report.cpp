#include "sync/report.h"

namespace plancal::sync {

const char* to_string(SyncResult result) {
  switch (result) {
    case SyncResult::Ok:
      return "ok";
    case SyncResult::Partial:
      return "partial";
    case SyncResult::Failed:
      return "failed";
    case SyncResult::Stopped:
      return "stopped";
  }
  return "failed";
}

}  // namespace plancal::sync
