// loader/name_suggestion.cc - the closest known name to a typo (see
// name_suggestion.h).
#include "loader/name_suggestion.h"

#include <algorithm>
#include <cctype>

namespace pyhooks {

namespace {

std::string lowered(const std::string& text) {
  std::string out = text;
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Optimal string alignment distance (Damerau-Levenshtein without
// overlapping edits): what a typo usually is.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1,
                                     std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string closest_name(const std::string& typed,
                         const std::vector<std::string>& known) {
  std::string wanted = lowered(typed);
  size_t limit = std::clamp<size_t>(wanted.size() / 3, 1, 3);
  std::string best;
  size_t best_distance = limit + 1;
  for (const std::string& name : known) {
    if (name == typed) continue;
    std::string candidate = lowered(name);
    size_t distance = edit_distance(wanted, candidate);
    // A prefix ("prof" for "profiler") is a likely abbreviation.
    if (wanted.size() >= 3 && candidate.rfind(wanted, 0) == 0) distance = 1;
    if (distance < best_distance) {
      best = name;
      best_distance = distance;
    }
  }
  return best;
}

std::string did_you_mean(const std::string& typed,
                         const std::vector<std::string>& known) {
  std::string best = closest_name(typed, known);
  return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

}  // namespace pyhooks
