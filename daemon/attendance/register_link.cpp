#include "attendance/register_link.h"

namespace plancal {

std::string register_path(Date date) { return "/leder/register/" + format_date(date); }

std::string register_url(std::string_view public_url, Date date) {
  std::string base(public_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + register_path(date);
}

}  // namespace plancal
