// loader/name_suggestion.h - "did you mean" for a mistyped name (a
// plugin, a plugin option, a CLI command or flag): the closest of the known
// names by edit distance (insertions, deletions, substitutions and swaps of
// two neighbours, case ignored), when it is close enough to be a typo.
#pragma once

#include <string>
#include <vector>

namespace pyhooks {

// The known name closest to `typed`, or "" when none is within a third of
// its length (at least one edit, at most three).
std::string closest_name(const std::string& typed,
                         const std::vector<std::string>& known);

// "; did you mean 'NAME'?" for closest_name(), or "" when there is none.
std::string did_you_mean(const std::string& typed,
                         const std::vector<std::string>& known);

}  // namespace pyhooks
