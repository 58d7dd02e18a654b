// plugins/profiler/frame_labels.h - the text shown for one call-tree node in
// the collapsed stacks and the flamegraph: "qualname (file:line)", a thread
// root's name, or "[more call paths]" above the nodes made after a thread's
// call-path budget was spent (thread_profile.h).
#pragma once

#include <string>
#include <vector>

#include "profile_merge.h"
#include "support_names.h"

namespace profiler {

class FrameLabels {
 public:
  FrameLabels(const FunctionRegistry& functions,
              std::vector<std::string> thread_names);

  const std::string& of(const MergedNode& node) const;

 private:
  std::vector<std::string> by_fid_;
  std::vector<std::string> threads_;  // by ordinal (1-based; [0] unused)
  std::string overflow_ = "[more call paths]";
  std::string unknown_function_ = "[unknown]";
  std::string unknown_thread_ = "[thread]";
};

}  // namespace profiler
