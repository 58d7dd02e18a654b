// plugins/profiler/summary_report.h - the table printed on stderr at exit:
// totals, the top functions by own and by cumulative time, per-thread totals
// and where the output files went.
#pragma once

#include <string>
#include <vector>

#include "profile_merge.h"
#include "support_names.h"

namespace profiler {

struct ThreadLine {
  std::string name;
  uint64_t total_ns;
  uint64_t calls;
};

struct SummaryFacts {
  ClockKind clock = ClockKind::kWall;
  double overhead_ns = 0;
  const char* timer = "";
  std::vector<ThreadLine> threads;
  std::vector<std::string> written;   // "path  (how to open it)"
  std::vector<std::string> problems;  // outputs that could not be written
  uint64_t unmatched_events = 0;
  uint64_t flat_entries = 0;
  uint64_t call_paths = 0;   // call-tree nodes, all threads
  uint64_t table_bytes = 0;  // memory of the profiler's tables
  size_t excluded_files = 0;
  bool filtered = false;
  bool forked_child = false;
  bool child = false;  // not the program pyhooks run started
  long pid = 0;
  std::string command;      // a child's command line
  uint64_t elapsed_ns = 0;  // wall time from init to shutdown
};

std::string summary_text(const MergedProfile& profile,
                         const FunctionRegistry& functions, size_t rows,
                         const SummaryFacts& facts);

}  // namespace profiler
