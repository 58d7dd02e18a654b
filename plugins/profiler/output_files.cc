// plugins/profiler/output_files.cc - output names and atomic, non-clobbering
// writes (see output_files.h).
#include "output_files.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace profiler {

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
  std::string dir = directory_of(spec.path);
  if (stat(dir.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return "the directory " + dir + " does not exist; create it first";
  }
  if (access(dir.c_str(), W_OK) != 0) {
    return "the directory " + dir + " is not writable";
  }
  return "";
}

std::string free_default_stem(const OutputSpec* const* specs, int count,
                              const std::string& start_dir,
                              const std::string& suffix) {
  for (int n = 0;; ++n) {
    std::string stem = start_dir + "/pyhooks-profile" +
                       (n == 0 ? std::string() : "." + std::to_string(n)) +
                       suffix;
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

std::string write_file(const std::string& path, const std::string& data,
                       bool exclusive, int* error_number) {
  if (error_number != nullptr) *error_number = 0;
  if (exclusive) {
    int fd =
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
      if (error_number != nullptr) *error_number = errno;
      return std::strerror(errno);
    }
    std::string error = write_all(fd, data);
    if (::close(fd) != 0 && error.empty()) error = std::strerror(errno);
    return error;
  }
  std::string temporary =
      path + ".tmp-" + std::to_string(static_cast<long>(getpid()));
  int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return std::strerror(errno);
  std::string error = write_all(fd, data);
  if (::close(fd) != 0 && error.empty()) error = std::strerror(errno);
  if (error.empty() && std::rename(temporary.c_str(), path.c_str()) != 0) {
    error = std::strerror(errno);
  }
  if (!error.empty()) ::unlink(temporary.c_str());
  return error;
}

std::string shown_path(const std::string& path, const std::string& start_dir) {
  if (!start_dir.empty() && path.size() > start_dir.size() + 1 &&
      path.compare(0, start_dir.size(), start_dir) == 0 &&
      path[start_dir.size()] == '/') {
    return path.substr(start_dir.size() + 1);
  }
  return path;
}

}  // namespace profiler
