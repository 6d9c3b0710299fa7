#include "feed/programme_label.h"

#include <algorithm>

namespace plancal::feed {

std::string programme_name(const Plan& plan) {
  return plan.calendar_name.empty() ? plan.title : plan.calendar_name;
}

Occurrence labelled_with_programme(const Occurrence& occurrence, const std::string& programme) {
  Occurrence labelled = occurrence;
  if (std::find(labelled.categories.begin(), labelled.categories.end(), programme) ==
      labelled.categories.end()) {
    labelled.categories.push_back(programme);
  }
  const std::string line = "Program: " + programme;
  labelled.description = labelled.description.empty() ? line : line + "\n\n" + labelled.description;
  return labelled;
}

}  // namespace plancal::feed
