#pragma once
/// Giving memory the process no longer uses back to the system. glibc keeps what a burst of
/// work freed (a publish, a sync over the network) in its malloc arenas, one per thread that
/// allocated, and returns only the top of each: the daemon would then sit at its peak
/// resident size between bursts, long after the memory was freed.

namespace plancal {

/// Returns the free pages of every malloc arena to the system (malloc_trim). Costs a walk
/// over the arenas' free lists, a few milliseconds at most: call it after a burst, not per
/// request.
void release_free_memory();

}  // namespace plancal
