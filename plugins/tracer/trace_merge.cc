// plugins/tracer/trace_merge.cc - finding, reading and appending the
// children's traces (see trace_merge.h), and the Tracer's part: which
// files, in what order, the summary.
#include "trace_merge.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>

#ifdef PYHOOKS_TRACER_HAVE_ZLIB
#include <zlib.h>
#endif

#include "proto_writer.h"
#include "support/output_files.h"
#include "tracer.h"

namespace tracer {

namespace {

constexpr size_t kBlock = 1 << 20;  // read and write in pieces this big
// File times come from the kernel's coarse clock, a tick behind.
constexpr int64_t kClockSlackNs = 20 * 1000 * 1000;

const char* const kExtensions[] = {".perfetto-trace", ".pftrace", ".json.gz",
                                   ".json"};

// A trace file, plain or gzip (zlib reads both), read in blocks.
class Reader {
 public:
  ~Reader() { close(); }
  bool open(const std::string& path) {
#ifdef PYHOOKS_TRACER_HAVE_ZLIB
    gz_ = gzopen(path.c_str(), "rb");
    return gz_ != nullptr;
#else
    file_ = std::fopen(path.c_str(), "rb");
    return file_ != nullptr;
#endif
  }
  // Appends up to kBlock bytes; false at the end (or at a cut gzip stream).
  bool more(std::string* buffer) {
    char block[65536];
    size_t got = 0;
#ifdef PYHOOKS_TRACER_HAVE_ZLIB
    int n = gzread(gz_, block, sizeof(block));
    got = n > 0 ? static_cast<size_t>(n) : 0;
#else
    got = std::fread(block, 1, sizeof(block), file_);
#endif
    buffer->append(block, got);
    return got > 0;
  }
  void close() {
#ifdef PYHOOKS_TRACER_HAVE_ZLIB
    if (gz_ != nullptr) gzclose(gz_);
    gz_ = nullptr;
#else
    if (file_ != nullptr) std::fclose(file_);
    file_ = nullptr;
#endif
  }

 private:
#ifdef PYHOOKS_TRACER_HAVE_ZLIB
  gzFile gz_ = nullptr;
#else
  FILE* file_ = nullptr;
#endif
};

std::string incomplete_title(long pid, bool still_running) {
  return "pyhooks tracer: the trace of process " + std::to_string(pid) +
         (still_running ? " was still being written at the merge"
                        : " did not end (killed or crashed)") +
         "; it holds what that process had written, the rest is lost";
}

// ---- Perfetto ---------------------------------------------------------------

bool get_varint(const char* data, size_t size, size_t* at, uint64_t* out) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64 && *at < size; shift += 7) {
    auto byte = static_cast<uint8_t>(data[(*at)++]);
    value |= uint64_t{byte & 0x7Fu} << shift;
    if ((byte & 0x80) == 0) {
      *out = value;
      return true;
    }
  }
  return false;
}

// What the merge needs to know of one packet.
struct PacketFacts {
  uint64_t timestamp = 0;
  uint64_t sequence = 0;
  uint64_t event_type = 0;          // TrackEvent.type, 0 if none
  bool process_descriptor = false;  // TrackDescriptor with a process
};

// Field `field` of wire type `type` present at the top of a message?
// Returns its varint value (type 0) or 1 (type 2).
uint64_t find_field(const char* data, size_t size, uint32_t field) {
  size_t at = 0;
  while (at < size) {
    uint64_t key = 0, value = 0;
    if (!get_varint(data, size, &at, &key)) return 0;
    uint32_t wire = key & 7;
    if (wire == 0) {
      if (!get_varint(data, size, &at, &value)) return 0;
      if ((key >> 3) == field) return value;
    } else if (wire == 2) {
      if (!get_varint(data, size, &at, &value) || value > size - at) return 0;
      if ((key >> 3) == field) return 1;
      at += value;
    } else if (wire == 1 || wire == 5) {
      at += wire == 1 ? 8 : 4;
    } else {
      return 0;
    }
  }
  return 0;
}

// Copies one TracePacket's fields to *out with the sequence id moved by
// `offset`. False on anything that is not a well-formed packet.
bool remap_packet(const char* data, size_t size, uint32_t offset,
                  std::string* out, PacketFacts* facts) {
  size_t at = 0;
  while (at < size) {
    size_t start = at;
    uint64_t key = 0, value = 0;
    if (!get_varint(data, size, &at, &key)) return false;
    uint32_t field = static_cast<uint32_t>(key >> 3);
    switch (key & 7) {
      case 0:
        if (!get_varint(data, size, &at, &value)) return false;
        if (field == 10) {  // trusted_packet_sequence_id
          facts->sequence = value;
          proto::uint_field(out, 10, value + offset);
          continue;
        }
        if (field == 8) facts->timestamp = value;
        break;
      case 1:
      case 5:
        at += (key & 7) == 1 ? 8 : 4;
        if (at > size) return false;
        break;
      case 2:
        if (!get_varint(data, size, &at, &value) || value > size - at) {
          return false;
        }
        if (field == 11) facts->event_type = find_field(data + at, value, 9);
        if (field == 60) {
          facts->process_descriptor = find_field(data + at, value, 3) != 0;
        }
        at += value;
        break;
      default:
        return false;
    }
    out->append(data + start, at - start);
  }
  return true;
}

void packet_into(std::string* out, const std::string& body) {
  proto::bytes_field(out, 1, body);
}

void incomplete_packets(long pid, bool still_running, bool described,
                        uint64_t ts, uint32_t sequence, std::string* out) {
  uint64_t process_track = static_cast<uint64_t>(pid) << 32;
  std::string packet;
  if (!described) {  // it wrote nothing at all: name its track here
    std::string process, track;
    proto::int_field(&process, 1, pid);
    proto::bytes_field(
        &process, 6, "process " + std::to_string(pid) + " (no trace written)");
    proto::uint_field(&track, 1, process_track);
    proto::bytes_field(&track, 3, process);
    proto::uint_field(&packet, 10, sequence);
    proto::bytes_field(&packet, 60, track);
    packet_into(out, packet);
    packet.clear();
  }
  std::string annotation, event;
  proto::bytes_field(&annotation, 10, "trace_incomplete");
  proto::uint_field(&annotation, 2, 1);
  proto::bytes_field(&event, 4, annotation);
  proto::uint_field(&event, 9, 3);  // TYPE_INSTANT
  proto::uint_field(&event, 11, process_track);
  proto::bytes_field(&event, 23, incomplete_title(pid, still_running));
  proto::uint_field(&packet, 8, ts);
  proto::uint_field(&packet, 10, sequence);
  proto::bytes_field(&packet, 11, event);
  packet_into(out, packet);
}

// ---- JSON -------------------------------------------------------------------

// One whole JSON object: braces balanced (outside strings) and closed at
// the last character.
bool whole_object(const std::string& line) {
  if (line.empty() || line[0] != '{' || line.back() != '}') return false;
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0 && i + 1 != line.size()) {
      return false;
    }
  }
  return depth == 0 && !in_string;
}

uint64_t json_ts_ns(const std::string& line) {
  size_t at = line.find(",\"ts\":");
  if (at == std::string::npos) return 0;
  double micros = std::strtod(line.c_str() + at + 6, nullptr);
  return micros > 0 ? static_cast<uint64_t>(std::llround(micros * 1000)) : 0;
}

std::string json_micros(uint64_t ns) {
  char text[40];
  std::snprintf(text, sizeof(text), "%llu.%03llu",
                static_cast<unsigned long long>(ns / 1000),
                static_cast<unsigned long long>(ns % 1000));
  return text;
}

}  // namespace

int64_t realtime_ns() {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return int64_t{now.tv_sec} * 1000000000 + now.tv_nsec;
}

std::vector<ChildTrace> find_child_traces(const std::string& program_trace,
                                          int64_t since_realtime_ns) {
  size_t slash = program_trace.rfind('/');
  std::string dir =
      slash == std::string::npos ? "." : program_trace.substr(0, slash);
  std::string base = slash == std::string::npos
                         ? program_trace
                         : program_trace.substr(slash + 1);
  std::string ext;
  for (const char* candidate : kExtensions) {
    size_t n = std::strlen(candidate);
    if (base.size() > n && base.compare(base.size() - n, n, candidate) == 0) {
      ext = candidate;
      break;
    }
  }
  std::string prefix = base.substr(0, base.size() - ext.size()) + ".pid";
  std::vector<ChildTrace> found;
  DIR* listing = opendir(dir.c_str());
  if (listing == nullptr) return found;
  while (struct dirent* entry = readdir(listing)) {
    std::string name = entry->d_name;
    if (name.size() <= prefix.size() + ext.size() ||
        name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - ext.size(), ext.size(), ext) != 0) {
      continue;
    }
    std::string digits =
        name.substr(prefix.size(), name.size() - prefix.size() - ext.size());
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::string path = dir + "/" + name;
    struct stat info;
    if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
    int64_t modified =
        int64_t{info.st_mtim.tv_sec} * 1000000000 + info.st_mtim.tv_nsec;
    if (modified + kClockSlackNs < since_realtime_ns) continue;  // older run
    found.push_back(ChildTrace{path, std::atol(digits.c_str())});
  }
  closedir(listing);
  std::sort(
      found.begin(), found.end(),
      [](const ChildTrace& a, const ChildTrace& b) { return a.pid < b.pid; });
  return found;
}

bool process_running(long pid) {
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)),
                   std::istreambuf_iterator<char>());
  size_t paren = text.rfind(')');
  if (paren == std::string::npos || paren + 2 >= text.size()) return false;
  char state = text[paren + 2];
  return state != 'Z' && state != 'X';
}

MergedChild merge_perfetto_child(const ChildTrace& child, bool still_running,
                                 uint64_t now_ns, uint32_t* next_sequence,
                                 const WriteBytes& write) {
  MergedChild result;
  Reader in;
  if (!in.open(child.path)) {
    result.error = std::strerror(errno);
    return result;
  }
  result.read = true;
  uint32_t offset = *next_sequence - 1;  // its sequence 1 -> *next_sequence
  uint64_t highest_sequence = 0, last_ts = 0;
  std::string buffer, out, held;
  size_t at = 0;
  bool cut = false, held_begin = false, described = false, last_closes = false;
  while (!cut) {
    bool more = in.more(&buffer);
    // Every whole packet in the buffer.
    while (!cut) {
      size_t p = at;
      uint64_t key = 0, size = 0;
      if (!get_varint(buffer.data(), buffer.size(), &p, &key) ||
          !get_varint(buffer.data(), buffer.size(), &p, &size) ||
          size > buffer.size() - p) {
        break;  // needs more bytes (or the file ends in a cut packet)
      }
      if (key != ((1u << 3) | 2u)) {
        cut = true;  // not a Trace.packet: stop at what was whole
        break;
      }
      PacketFacts facts;
      std::string body;
      if (!remap_packet(buffer.data() + p, size, offset, &body, &facts)) {
        cut = true;
        break;
      }
      at = p + size;
      out += held;
      held.clear();
      packet_into(&held, body);
      held_begin = facts.event_type == 1;  // SLICE_BEGIN
      last_closes = facts.process_descriptor && result.units > 0;
      described = described || facts.process_descriptor;
      highest_sequence = std::max(highest_sequence, facts.sequence);
      last_ts = std::max(last_ts, facts.timestamp);
      ++result.units;
      if (out.size() >= kBlock) {
        write(out);
        out.clear();
      }
    }
    if (at >= kBlock) {
      buffer.erase(0, at);
      at = 0;
    }
    if (!more) {
      if (at < buffer.size()) cut = true;  // a packet cut short
      break;
    }
  }
  result.complete = !cut && last_closes;
  // A record is a SLICE_BEGIN and its SLICE_END: never leave half of one.
  if (result.complete || !held_begin) out += held;
  if (!result.complete) {
    incomplete_packets(child.pid, still_running, described,
                       last_ts != 0 ? last_ts : now_ns, offset + 1, &out);
  }
  write(out);
  *next_sequence +=
      static_cast<uint32_t>(std::max<uint64_t>(highest_sequence, 1));
  return result;
}

MergedChild merge_json_child(const ChildTrace& child, bool still_running,
                             uint64_t now_ns, const WriteBytes& write) {
  MergedChild result;
  Reader in;
  if (!in.open(child.path)) {
    result.error = std::strerror(errno);
    return result;
  }
  result.read = true;
  std::string buffer, out;
  size_t at = 0;
  bool first = true, cut = false, more = true;
  uint64_t last_ts = 0;
  while (!result.complete && !cut) {
    more = in.more(&buffer);
    while (!result.complete && !cut) {
      if (at >= buffer.size()) break;
      size_t end = buffer.find('\n', at);
      if (end == std::string::npos) {
        if (more) break;
        end = buffer.size();  // the last line, without its newline
      }
      std::string line = buffer.substr(at, end - at);
      at = end == buffer.size() ? end : end + 1;
      if (first) {
        first = false;
        if (line.compare(0, 16, "{\"traceEvents\":[") != 0) cut = true;
        continue;
      }
      if (line.compare(0, 1, "]") == 0) {
        result.complete = true;
        break;
      }
      if (!line.empty() && line.back() == ',') line.pop_back();
      if (!whole_object(line)) {
        cut = true;  // cut in the middle of an event: the end of what is whole
        break;
      }
      out += ",\n";
      out += line;
      last_ts = std::max(last_ts, json_ts_ns(line));
      ++result.units;
      if (out.size() >= kBlock) {
        write(out);
        out.clear();
      }
    }
    if (at >= kBlock) {
      buffer.erase(0, at);
      at = 0;
    }
    if (!more) break;
  }
  if (!result.complete) {
    std::string pid = std::to_string(child.pid);
    if (result.units == 0) {
      out += ",\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" + pid +
             ",\"tid\":0,\"args\":{\"name\":\"process " + pid +
             " (no trace written)\"}}";
    }
    out += ",\n{\"ph\":\"i\",\"s\":\"p\",\"cat\":\"pyhooks\",\"name\":\"" +
           incomplete_title(child.pid, still_running) +
           "\",\"ts\":" + json_micros(last_ts != 0 ? last_ts : now_ns) +
           ",\"pid\":" + pid +
           ",\"tid\":0,\"args\":{\"trace_incomplete\":true}}";
  }
  write(out);
  return result;
}

// ---- The tracer's part ------------------------------------------------------

void Tracer::merge_children() {
  std::vector<ChildTrace> children =
      find_child_traces(path_, start_realtime_ns_);
  // Sequences 1 .. ordinals_ + 1 are this process's (encoder: ordinal + 1).
  uint32_t next_sequence = ordinals_ + 2;
  WriteBytes write = [this](const std::string& bytes) {
    if (!bytes.empty()) file_.write(bytes);
  };
  for (const ChildTrace& child : children) {
    bool running = process_running(child.pid);
    MergedChild merged;
    try {
      merged = options_.format == Format::kJson
                   ? merge_json_child(child, running, api_->clock_ns(), write)
                   : merge_perfetto_child(child, running, api_->clock_ns(),
                                          &next_sequence, write);
    } catch (const std::exception& error) {  // out of memory: the next one
      merged.read = false;
      merged.error = error.what();
    }
    if (!merged.read) {
      merge_problems_.push_back(
          pyhooks::support::shown_path(child.path, options_.start_dir) + " (" +
          merged.error + ")");
      continue;
    }
    ++merged_;
    if (!merged.complete) ++merged_incomplete_;
    if (!running) ::unlink(child.path.c_str());
  }
}

std::string Tracer::merge_summary() const {
  std::string text = "; " + std::to_string(merged_) + " child trace" +
                     (merged_ == 1 ? "" : "s") + " merged";
  if (merged_incomplete_ != 0) {
    text += " (" + std::to_string(merged_incomplete_) +
            " incomplete: killed, crashed or still running)";
  }
  for (const std::string& problem : merge_problems_) {
    text += "; not merged: " + problem;
  }
  return text;
}

}  // namespace tracer
