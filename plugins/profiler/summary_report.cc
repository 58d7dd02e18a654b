// plugins/profiler/summary_report.cc - formatting the stderr summary (see
// summary_report.h).
#include "summary_report.h"

#include <algorithm>
#include <cstdio>

namespace profiler {

namespace {

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), pattern, value);
  return buffer;
}

std::string padded_left(const std::string& text, size_t width) {
  return text.size() >= width ? text
                              : std::string(width - text.size(), ' ') + text;
}

std::string calls_text(const MergedFunction& func) {
  std::string text = std::to_string(func.calls);
  if (func.recursive_calls != 0) {
    text += "/" + std::to_string(func.calls - func.recursive_calls);
  }
  return text;
}

std::string seconds(uint64_t ns) {
  return format("%.4f", static_cast<double>(ns) / 1e9);
}

void table(std::string& out, const char* title,
           const std::vector<uint32_t>& order, const MergedProfile& profile,
           const FunctionRegistry& functions) {
  out += "  ";
  out += title;
  out += "\n        calls      own s   own %      cum s   cum %  function\n";
  double total = profile.total_ns ? static_cast<double>(profile.total_ns) : 1.0;
  for (uint32_t fid : order) {
    const MergedFunction& func = profile.funcs[fid];
    out += "  " + padded_left(calls_text(func), 11);
    out += " " + padded_left(seconds(func.own_ns), 10);
    out += " " + padded_left(format("%.1f%%", 100.0 * func.own_ns / total), 7);
    out += " " + padded_left(seconds(func.cum_ns), 10);
    out += " " + padded_left(format("%.1f%%", 100.0 * func.cum_ns / total), 7);
    out += "  " + functions[fid].label() + "\n";
  }
}

}  // namespace

std::string summary_text(const MergedProfile& profile,
                         const FunctionRegistry& functions, size_t rows,
                         const SummaryFacts& facts) {
  std::string out = "pyhooks profiler";
  if (facts.child) {
    out += std::string(" (") + (facts.forked_child ? "forked " : "") +
           "child process " + std::to_string(facts.pid);
    if (!facts.command.empty()) out += ": " + facts.command;
    out += ")";
  }
  out += ": " + std::to_string(profile.calls) + " calls";
  if (profile.primitive_calls != profile.calls) {
    out += " (" + std::to_string(profile.primitive_calls) + " primitive)";
  }
  out += " of " + std::to_string(profile.functions_called) + " functions in " +
         std::to_string(facts.threads.size()) +
         (facts.threads.size() == 1 ? " thread" : " threads") + "\n";
  // Elapsed and measured time are different quantities: threads running at
  // once add up to more than the time that passed.
  out +=
      "  " + format("%.3f", facts.elapsed_ns / 1e9) +
      " s of wall time elapsed; " + format("%.3f", profile.total_ns / 1e9) +
      " s of " + clock_name(facts.clock) + " time measured, summed over " +
      (facts.threads.size() == 1 ? std::string("the thread") : "the threads") +
      "\n";
  out +=
      "  timer " + std::string(facts.timer) +
      "; profiler overhead subtracted: " + format("%.0f", facts.overhead_ns) +
      " ns per event (measured at start-up)\n";
  out += "  tables: " + std::to_string(functions.size()) + " functions, " +
         std::to_string(facts.call_paths) + " call paths, " +
         std::to_string((facts.table_bytes + 1023) / 1024) + " KiB";
  if (facts.filtered) {
    out += "; " + std::to_string(facts.excluded_files) +
           " files filtered out by include/exclude";
  }
  out += "\n";
  if (facts.threads.size() > 1) {
    for (const ThreadLine& thread : facts.threads) {
      out += "  " + thread.name + ": " + format("%.3f", thread.total_ns / 1e9) +
             " s, " + std::to_string(thread.calls) + " calls\n";
    }
  }

  std::vector<uint32_t> used;
  for (uint32_t fid = 0; fid < profile.funcs.size(); ++fid) {
    const MergedFunction& func = profile.funcs[fid];
    if (func.calls != 0 || func.own_ns != 0) used.push_back(fid);
  }
  if (rows > 0 && !used.empty()) {
    size_t shown = std::min(rows, used.size());
    std::vector<uint32_t> by_own = used;
    std::partial_sort(by_own.begin(), by_own.begin() + shown, by_own.end(),
                      [&](uint32_t a, uint32_t b) {
                        return profile.funcs[a].own_ns >
                               profile.funcs[b].own_ns;
                      });
    by_own.resize(shown);
    std::vector<uint32_t> by_cum = used;
    std::partial_sort(by_cum.begin(), by_cum.begin() + shown, by_cum.end(),
                      [&](uint32_t a, uint32_t b) {
                        return profile.funcs[a].cum_ns >
                               profile.funcs[b].cum_ns;
                      });
    by_cum.resize(shown);
    std::string title = "top " + std::to_string(shown) + " by own time";
    table(out, title.c_str(), by_own, profile, functions);
    title = "top " + std::to_string(shown) + " by cumulative time";
    table(out, title.c_str(), by_cum, profile, functions);
  }
  if (facts.unmatched_events != 0) {
    out += "  note: " + std::to_string(facts.unmatched_events) +
           " exit events had no matching enter and were ignored\n";
  }
  if (facts.flat_entries != 0) {
    out +=
        "  note: the call-path budget was reached; later new paths appear "
        "under [more call paths] in the stacks (function figures are "
        "exact)\n";
  }
  for (const std::string& line : facts.written) out += "  wrote " + line + "\n";
  for (const std::string& line : facts.problems) out += "  " + line + "\n";
  return out;
}

}  // namespace profiler
