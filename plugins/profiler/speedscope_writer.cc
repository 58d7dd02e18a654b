// plugins/profiler/speedscope_writer.cc - walking the merged call tree into
// speedscope's JSON format (see speedscope_writer.h).
#include "speedscope_writer.h"

#include <cstdio>
#include <unordered_map>
#include <utility>
#include <vector>

namespace profiler {

namespace {

void append_json_string(std::string* out, const std::string& text) {
  *out += '"';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      *out += '\\';
      *out += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", byte);
      *out += escaped;
    } else {
      *out += c;  // UTF-8 passes through as it is
    }
  }
  *out += '"';
}

// Frame indices by label: a function's label names it uniquely.
class FrameTable {
 public:
  FrameTable(const FunctionRegistry& functions, const FrameLabels& labels)
      : functions_(functions), labels_(labels) {}

  size_t index_of(const MergedNode& node) {
    const std::string& label = labels_.of(node);
    auto found = index_.find(label);
    if (found != index_.end()) return found->second;
    size_t index = index_.size();
    index_.emplace(label, index);
    if (!frames_.empty()) frames_ += ',';
    frames_ += "{\"name\":";
    bool real = node.fid < functions_.size() && node.thread < 0;
    if (real) {
      const FunctionInfo& function = functions_[node.fid];
      append_json_string(&frames_, function.qualname);
      frames_ += ",\"file\":";
      append_json_string(&frames_, function.filename);
      frames_ += ",\"line\":" + std::to_string(function.first_line);
    } else {
      append_json_string(&frames_, label);
    }
    frames_ += '}';
    return index;
  }

  const std::string& json() const { return frames_; }

 private:
  const FunctionRegistry& functions_;
  const FrameLabels& labels_;
  std::unordered_map<std::string, size_t> index_;
  std::string frames_;
};

}  // namespace

std::string speedscope_json(const MergedProfile& profile,
                            const FunctionRegistry& functions,
                            const FrameLabels& labels,
                            const std::string& name) {
  FrameTable frames(functions, labels);
  std::string samples;
  std::string weights;
  uint64_t total_ns = 0;
  std::vector<size_t> path;  // frame indices from the root's child down
  auto emit = [&](uint64_t own_ns) {
    if (own_ns == 0 || path.empty()) return;
    if (!samples.empty()) {
      samples += ',';
      weights += ',';
    }
    samples += '[';
    for (size_t i = 0; i < path.size(); ++i) {
      if (i != 0) samples += ',';
      samples += std::to_string(path[i]);
    }
    samples += ']';
    weights += std::to_string(own_ns);
    total_ns += own_ns;
  };

  // Depth-first; the root ("all") is not a frame of its own.
  std::vector<std::pair<uint32_t, size_t>> stack{{0, 0}};  // node, next child
  while (!stack.empty()) {
    auto& [index, next] = stack.back();
    const MergedNode& node = profile.nodes[index];
    if (next == node.children.size()) {
      stack.pop_back();
      if (!path.empty() && !stack.empty()) path.pop_back();
      continue;
    }
    uint32_t child = node.children[next++];
    const MergedNode& entry = profile.nodes[child];
    path.push_back(frames.index_of(entry));
    emit(entry.own_ns);
    stack.push_back({child, 0});
  }

  std::string out;
  out.reserve(samples.size() + weights.size() + frames.json().size() + 512);
  out += "{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",";
  out += "\"name\":";
  append_json_string(&out, name);
  out += ",\"exporter\":\"pyhooks profiler\",\"activeProfileIndex\":0,";
  out += "\"shared\":{\"frames\":[" + frames.json() + "]},";
  out += "\"profiles\":[{\"type\":\"sampled\",\"name\":";
  append_json_string(&out, name);
  out += ",\"unit\":\"nanoseconds\",\"startValue\":0,\"endValue\":" +
         std::to_string(total_ns) + ",\"samples\":[" + samples +
         "],\"weights\":[" + weights + "]}]}\n";
  return out;
}

}  // namespace profiler
