// host/runtime/perf_map.cc - the process's one perf-map writer; see
// perf_map.h for why it is per process and how forks are handled.
#include "perf_map.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "../compat/compat.h"
#include "report.h"

namespace pyhooks {
namespace perf_map {

namespace {

struct Entry {
  const void* address;
  uint32_t size;
  std::string name;
};

// One per process. A forked child replaces it (the parent's lock may have
// been held by a thread that does not exist in the child), leaking the
// inherited copy once per fork.
struct Writer {
  std::mutex lock;
  pid_t owner = 0;             // the process whose map this is
  FILE* file = nullptr;        // 3.11: the host's own file
  bool failed = false;         // reported; later writes fail quietly
  bool checked_stale = false;  // a dead namesake's map was looked for
  std::vector<Entry> written;
};

Writer* writer = new Writer();

std::string path_for(pid_t pid) {
  return "/tmp/perf-" + std::to_string(static_cast<intmax_t>(pid)) + ".map";
}

// When this process started, in seconds since the epoch, rounded down (boot
// time is whole seconds); 0 when /proc cannot say.
time_t process_start_time() {
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)),
                   std::istreambuf_iterator<char>());
  // Field 22 (starttime, clock ticks since boot) counted after the command
  // name, which is parenthesised and may itself hold spaces.
  size_t name_end = stat.rfind(')');
  if (name_end == std::string::npos) return 0;
  std::istringstream fields(stat.substr(name_end + 2));
  std::string field;
  unsigned long long start_ticks = 0;
  for (int number = 3; number <= 22 && fields >> field; ++number) {
    if (number == 22) start_ticks = std::strtoull(field.c_str(), nullptr, 10);
  }
  std::ifstream system_stat("/proc/stat");
  std::string key;
  long long boot_time = 0;
  while (system_stat >> key) {
    if (key == "btime") {
      system_stat >> boot_time;
      break;
    }
  }
  long ticks_per_second = sysconf(_SC_CLK_TCK);
  if (start_ticks == 0 || boot_time == 0 || ticks_per_second <= 0) return 0;
  return static_cast<time_t>(boot_time + start_ticks / ticks_per_second);
}

// A map left by a dead process that had this pid (pids are reused; a test
// suite or a build wraps them in minutes) would make perf name this
// process's code with the dead one's lines, so it is emptied before the first
// line of this process is written: CPython's writer and the host's both
// append. Only a file last written before this process started (with a
// second's margin) is stale; one that `-X perf` or another writer of this
// process already filled is newer and kept.
void discard_stale_map(pid_t owner) {
  std::string path = path_for(owner);
  struct stat info;
  if (lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode) ||
      info.st_uid != geteuid()) {
    return;
  }
  time_t started = process_start_time();
  if (started == 0 || info.st_mtime >= started - 1) return;
  int fd = open(path.c_str(), O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0) close(fd);
}

// The host's own file (3.11), opened as CPython 3.12 opens its map: append
// only, never following a symlink someone planted in /tmp, private.
bool open_own_file(Writer& w) {
  int fd = open(path_for(w.owner).c_str(),
                O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  w.file = fdopen(fd, "a");
  if (w.file == nullptr) {
    close(fd);
    return false;
  }
  return true;
}

bool write_line(Writer& w, const Entry& entry) {
  if (!w.checked_stale) {
    w.checked_stale = true;
    discard_stale_map(w.owner);
  }
  if (phc_has_perf_map_writer()) {
    return phc_perf_map_write(entry.address, entry.size, entry.name.c_str()) ==
           0;
  }
  if (w.file == nullptr && !open_own_file(w)) return false;
  int written = std::fprintf(w.file, "%" PRIxPTR " %" PRIx32 " %s\n",
                             reinterpret_cast<uintptr_t>(entry.address),
                             entry.size, entry.name.c_str());
  return written > 0 && std::fflush(w.file) == 0;
}

// Marks the writer failed; true the first time, when the caller reports it
// (with no lock held: reporting runs sys.stderr.write, Python code that may
// name new functions through this writer).
bool mark_failed(Writer& w) {
  if (w.failed) return false;
  w.failed = true;
  return true;
}

void report_failure(pid_t owner, int error) {
  report_warning("cannot write the perf map " + path_for(owner) + " (" +
                 std::strerror(error) +
                 "); native profilers will not name the code it would list");
}

// Called with no lock held, in a process whose writer belongs to its parent.
void start_child_map() {
  Writer* inherited = writer;
  auto* own = new Writer();
  own->owner = getpid();
  own->written = inherited->written;
  // CPython's writer still holds the parent's file (3.12 closes it itself
  // after fork; closing twice is harmless). The host's own file is the
  // parent's too: this process forgets it.
  phc_perf_map_close();
  if (inherited->file != nullptr) {
    int fd = fileno(inherited->file);
    if (fd >= 0) close(fd);  // not fclose: no buffered parent data remains
  }
  writer = own;
  for (const Entry& entry : own->written) {
    if (!write_line(*own, entry)) {
      int error = errno;
      if (mark_failed(*own)) report_failure(own->owner, error);
      break;
    }
  }
}

bool valid(const void* address, uint32_t size, const char* name) {
  return address != nullptr && size != 0 && name != nullptr &&
         std::strchr(name, '\n') == nullptr && name[0] != '\0';
}

}  // namespace

WriteResult write_entry(const void* address, uint32_t size, const char* name) {
  if (!valid(address, size, name)) return WriteResult::kInvalid;
  pid_t self = getpid();
  if (writer->owner != 0 && writer->owner != self) {
    start_child_map();  // forked without Python's fork handlers
  }
  Writer& w = *writer;
  int error = 0;
  {
    std::lock_guard<std::mutex> guard(w.lock);
    w.owner = self;
    if (w.failed) return WriteResult::kFailed;
    w.written.push_back(Entry{address, size, name});
    if (write_line(w, w.written.back())) return WriteResult::kOk;
    error = errno;
    if (!mark_failed(w)) return WriteResult::kFailed;
  }
  report_failure(self, error);
  return WriteResult::kFailed;
}

void after_fork_child() {
  if (writer->owner != 0 && writer->owner != getpid()) start_child_map();
}

}  // namespace perf_map
}  // namespace pyhooks
