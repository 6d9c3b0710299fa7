#pragma once
/// What changed in a meeting since its subscribers first got it, as lines a person reads:
/// "Flyttet fra mandag 2. september", "Tema er avklart". Pure: the first-published version
/// and the current one in, Norwegian lines out. The calendar itself silently shows the new
/// version; the page says what moved, so nobody turns up on the old date.

#include <string>
#include <vector>

#include "expand/occurrence.h"

namespace plancal::web {

/// One line per change, in this order: date (with the time, when both changed), time, place,
/// meeting link, topic, speaker, preparation, agenda, notes. Empty when nothing a person
/// would notice changed. Cancellation is not a line: pages mark it AVLYST.
///  - "Flyttet fra mandag 2. september" (the year only when it differs from the new date's)
///  - "Flyttet fra mandag 2. september kl. 09.00–12.00" (day and time both changed)
///  - "Ny tid: kl. 09.00–13.00 (var kl. 09.00–12.00)"
///  - "Nytt sted: Storsalen (var Undervisningsbrakka)", "Nytt sted: Storsalen"
///  - "Ny lenke til nettmøtet", "Lenke til nettmøtet er lagt inn"
///  - "Tema er avklart" (it was TBA or empty), "Nytt tema (var «Brannvernkurs»)"
///  - "Foreleser er avklart", "Ny foreleser (var Erik)"
///  - "Endrede forberedelser", "Endret program", "Endret informasjon"
[[nodiscard]] std::vector<std::string> change_lines(const Occurrence& first_published,
                                                    const Occurrence& current);

/// True for a placeholder that means "not decided yet": empty, "TBA", "TBD" (any case).
[[nodiscard]] bool is_undecided(const std::string& text);

}  // namespace plancal::web
