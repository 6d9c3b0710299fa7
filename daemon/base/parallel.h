#pragma once
/// parallel_for: the one way plancal spreads independent jobs over a few threads (writes to
/// one calendar, targets of one sync, feeds to render). Jobs are handed out one at a time
/// from a shared counter, so a slow job never holds up the ones behind it.

#include <cstddef>
#include <functional>

namespace plancal {

/// Calls job(i) for every i in [0, count) on at most `threads` threads, the caller's among
/// them, and returns when every call has returned. Calls may run in any order and at once:
/// `job` must be safe for that. An exception escaping a job is a bug and ends the process.
void parallel_for(std::size_t count, std::size_t threads,
                  const std::function<void(std::size_t)>& job);

}  // namespace plancal
