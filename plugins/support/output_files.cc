// plugins/support/output_files.cc - output names and atomic, non-clobbering
// writes (see output_files.h).
#include "support/output_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace pyhooks::support {

namespace {

bool exists(const std::string& path) {
  struct stat info;
  return lstat(path.c_str(), &info) == 0;
}

std::string directory_of(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t wrote = ::write(fd, data.data() + done, data.size() - done);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return std::strerror(errno);
    }
    done += static_cast<size_t>(wrote);
  }
  return "";
}

}  // namespace

std::string with_suffix(const std::string& path, const std::string& suffix) {
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  size_t base = slash == std::string::npos ? 0 : slash + 1;
  if (dot == std::string::npos || dot <= base) return path + suffix;
  return path.substr(0, dot) + suffix + path.substr(dot);
}

std::string absolute_path(const std::string& path,
                          const std::string& start_dir) {
  if (!path.empty() && path[0] == '/') return path;
  std::string relative = path;
  while (relative.compare(0, 2, "./") == 0) relative.erase(0, 2);
  return start_dir + "/" + relative;
}

std::string check_writable(const OutputSpec& spec) {
  struct stat info;
  if (stat(spec.path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) {
    return spec.path + " is a directory; give a file name";
  }
  return check_directory_writable(directory_of(spec.path));
}

std::string default_directory(const std::string& start_dir) {
  return start_dir + "/" + kDefaultDirectory;
}

std::string check_default_directory(const std::string& start_dir) {
  std::string dir = default_directory(start_dir);
  struct stat info;
  if (stat(dir.c_str(), &info) == 0) {
    if (!S_ISDIR(info.st_mode)) {
      return dir + " exists and is not a directory";
    }
    return check_directory_writable(dir);
  }
  return check_directory_writable(start_dir.empty() ? "/" : start_dir);
}

namespace {

// N of "run-N.<anything>", or 0; a child's "run-N.pid<PID>..." counts as
// 0, so that a run's children share the number its own files get.
long run_number(const char* name) {
  if (std::strncmp(name, "run-", 4) != 0) return 0;
  char* end = nullptr;
  long n = std::strtol(name + 4, &end, 10);
  if (end == name + 4 || *end != '.') return 0;
  if (std::strncmp(end, ".pid", 4) == 0) return 0;
  return n;
}

}  // namespace

std::string free_default_stem(const OutputSpec* const* specs, int count,
                              const std::string& start_dir,
                              const std::string& suffix) {
  std::string dir = default_directory(start_dir);
  bool needed = false;
  for (int i = 0; i < count; ++i) {
    needed = needed || (specs[i]->enabled && !specs[i]->given);
  }
  if (!needed) return dir + "/run-1" + suffix;  // no directory made
  if (mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
    // Writing will fail and say why (and fall back to another directory).
    return dir + "/run-1" + suffix;
  }
  long highest = 0;
  if (DIR* listing = opendir(dir.c_str())) {
    while (const dirent* entry = readdir(listing)) {
      long n = run_number(entry->d_name);
      if (n > highest) highest = n;
    }
    closedir(listing);
  }
  for (long n = highest + 1;; ++n) {
    std::string stem = dir + "/run-" + std::to_string(n) + suffix;
    bool free = true;
    for (int i = 0; i < count && free; ++i) {
      const OutputSpec& spec = *specs[i];
      if (spec.enabled && !spec.given && exists(stem + spec.extension)) {
        free = false;
      }
    }
    if (free) return stem;
  }
}

namespace {

// Signals that end a process by default, held back while a finished file
// gets its name, so that a kill cannot land between link and rename.
class TerminationSignalsHeld {
 public:
  TerminationSignalsHeld() {
    sigset_t held;
    sigemptyset(&held);
    for (int signal : {SIGTERM, SIGINT, SIGHUP, SIGQUIT}) {
      sigaddset(&held, signal);
    }
    pthread_sigmask(SIG_BLOCK, &held, &previous_);
  }
  ~TerminationSignalsHeld() {
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  TerminationSignalsHeld(const TerminationSignalsHeld&) = delete;
  TerminationSignalsHeld& operator=(const TerminationSignalsHeld&) = delete;

 private:
  sigset_t previous_;
};

std::string fail_with(int error, int* error_number) {
  if (error_number != nullptr) *error_number = error;
  return std::strerror(error);
}

std::string temporary_name(const std::string& path) {
  return path + ".tmp-" + std::to_string(static_cast<long>(getpid()));
}

// Gives the complete unnamed file `fd` the name `path`: link() refuses an
// existing name (exclusive), rename() replaces it (through a temporary name).
std::string name_unnamed_file(int fd, const std::string& path, bool exclusive,
                              int* error_number) {
  std::string proc = "/proc/self/fd/" + std::to_string(fd);
  if (exclusive) {
    if (linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, path.c_str(),
               AT_SYMLINK_FOLLOW) != 0) {
      return fail_with(errno, error_number);
    }
    return "";
  }
  std::string temporary = temporary_name(path);
  TerminationSignalsHeld held;
  ::unlink(temporary.c_str());  // left by a process killed with SIGKILL
  if (linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, temporary.c_str(),
             AT_SYMLINK_FOLLOW) != 0) {
    return fail_with(errno, error_number);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temporary.c_str());
    return fail_with(error, error_number);
  }
  return "";
}

// Without O_TMPFILE (a file system that lacks it): a named temporary file,
// written with the termination signals held so that no kill leaves it.
std::string write_through_named_file(const std::string& path,
                                     const std::string& data, bool exclusive,
                                     int* error_number) {
  std::string temporary = temporary_name(path);
  TerminationSignalsHeld held;
  int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return fail_with(errno, error_number);
  std::string error = write_all(fd, data);
  if (::close(fd) != 0 && error.empty()) error = std::strerror(errno);
  if (error.empty()) {
    int status = exclusive ? ::link(temporary.c_str(), path.c_str())
                           : std::rename(temporary.c_str(), path.c_str());
    if (status != 0) error = fail_with(errno, error_number);
  }
  ::unlink(temporary.c_str());  // after link(), or after a failure
  return error;
}

}  // namespace

std::string write_file(const std::string& path, const std::string& data,
                       bool exclusive, int* error_number) {
  if (error_number != nullptr) *error_number = 0;
  // The data goes to an unnamed file in the target's directory (O_TMPFILE)
  // that gets its name only when complete: a process killed while writing,
  // even with SIGKILL, leaves the previous file or none, and no temporary.
  int fd = ::open(directory_of(path).c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC,
                  0666);
  if (fd < 0) {
    if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL) {
      return write_through_named_file(path, data, exclusive, error_number);
    }
    return fail_with(errno, error_number);
  }
  // O_TMPFILE ignores the umask's effect on the final mode: apply it.
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  std::string error = write_all(fd, data);
  if (error.empty())
    error = name_unnamed_file(fd, path, exclusive, error_number);
  if (::close(fd) != 0 && error.empty()) error = fail_with(errno, error_number);
  return error;
}

std::string fallback_directory() {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string dir = tmpdir != nullptr && *tmpdir == '/' ? tmpdir : "/tmp";
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

std::string check_directory_writable(const std::string& dir) {
  struct stat info;
  if (stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return "the directory " + dir + " does not exist; create it first";
  }
  if (access(dir.c_str(), W_OK) != 0) {
    return "the directory " + dir + " is not writable";
  }
  return "";
}

std::string shown_path(const std::string& path, const std::string& start_dir) {
  if (!start_dir.empty() && path.size() > start_dir.size() + 1 &&
      path.compare(0, start_dir.size(), start_dir) == 0 &&
      path[start_dir.size()] == '/') {
    return path.substr(start_dir.size() + 1);
  }
  return path;
}

}  // namespace pyhooks::support
