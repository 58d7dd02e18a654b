// plugins/profiler/frame_labels.cc - labels for call-tree nodes (see
// frame_labels.h). ';' separates frames in the collapsed format and line
// breaks end a record, so both are replaced in names.
#include "frame_labels.h"

#include "thread_profile.h"

namespace profiler {

namespace {

std::string clean(std::string text) {
  for (char& c : text) {
    if (c == ';') c = ':';
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return text;
}

}  // namespace

FrameLabels::FrameLabels(const FunctionRegistry& functions,
                         std::vector<std::string> thread_names) {
  by_fid_.reserve(functions.size());
  for (size_t fid = 0; fid < functions.size(); ++fid) {
    by_fid_.push_back(clean(functions[static_cast<uint32_t>(fid)].label()));
  }
  for (std::string& name : thread_names) threads_.push_back(clean(name));
}

const std::string& FrameLabels::of(const MergedNode& node) const {
  if (node.thread >= 0) {
    auto ordinal = static_cast<size_t>(node.thread);
    return ordinal < threads_.size() ? threads_[ordinal] : unknown_thread_;
  }
  if (node.fid == kOverflowFid) return overflow_;
  if (node.fid >= by_fid_.size()) return unknown_function_;
  return by_fid_[node.fid];
}

}  // namespace profiler
