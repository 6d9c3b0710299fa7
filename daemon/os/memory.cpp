#include "os/memory.h"

#include <malloc.h>

namespace plancal {

void release_free_memory() { malloc_trim(0); }

}  // namespace plancal
