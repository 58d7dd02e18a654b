// plugins/tracer/trace_file.cc - writing the trace file, through zlib when
// the name ends in .gz (PYHOOKS_TRACER_HAVE_ZLIB).
#include "trace_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#ifdef PYHOOKS_TRACER_HAVE_ZLIB
#include <zlib.h>
#endif

namespace tracer {

TraceFile::~TraceFile() { close(); }

bool TraceFile::gzip_available() {
#ifdef PYHOOKS_TRACER_HAVE_ZLIB
  return true;
#else
  return false;
#endif
}

std::string TraceFile::create(const std::string& path, bool gzip,
                              bool exclusive, int* error_number) {
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
  int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) {
    if (error_number != nullptr) *error_number = errno;
    return std::strerror(errno);
  }
  ::close(fd);
#ifndef PYHOOKS_TRACER_HAVE_ZLIB
  if (gzip) return "this build has no zlib; write .json instead of .json.gz";
#endif
  path_ = path;
  gzip_ = gzip;
  error_.clear();
  bytes_given_ = 0;
  return "";
}

std::string TraceFile::open_for_writing() {
  int fd = ::open(path_.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return std::strerror(errno);
  fd_ = fd;
  if (gzip_) {
#ifdef PYHOOKS_TRACER_HAVE_ZLIB
    int copy = ::dup(fd);
    gz_ = copy < 0 ? nullptr : gzdopen(copy, "wb1");
    if (gz_ == nullptr) {
      if (copy >= 0) ::close(copy);
      return "cannot start gzip compression";
    }
#else
    return "this build has no zlib";
#endif
  }
  return "";
}

bool TraceFile::write(const std::string& data) {
  if (!error_.empty() || path_.empty()) return false;
  if (fd_ < 0) {
    error_ = open_for_writing();
    if (!error_.empty()) return false;
  }
  bytes_given_ += data.size();
#ifdef PYHOOKS_TRACER_HAVE_ZLIB
  if (gz_ != nullptr) {
    size_t done = 0;
    while (done < data.size()) {
      unsigned part =
          static_cast<unsigned>(std::min<size_t>(data.size() - done, 1u << 30));
      int wrote = gzwrite(static_cast<gzFile>(gz_), data.data() + done, part);
      if (wrote <= 0) {
        error_ = "gzip write failed";
        return false;
      }
      done += static_cast<size_t>(wrote);
    }
    return true;
  }
#endif
  size_t done = 0;
  while (done < data.size()) {
    ssize_t wrote = ::write(fd_, data.data() + done, data.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) {
      error_ = std::strerror(errno);
      return false;
    }
    done += static_cast<size_t>(wrote);
  }
  return true;
}

std::string TraceFile::close() {
  if (fd_ < 0) {
    path_.clear();
    return error_;
  }
#ifdef PYHOOKS_TRACER_HAVE_ZLIB
  if (gz_ != nullptr) {
    if (gzclose(static_cast<gzFile>(gz_)) != Z_OK && error_.empty()) {
      error_ = "gzip close failed";
    }
    gz_ = nullptr;
  }
#endif
  if (::close(fd_) != 0 && error_.empty()) error_ = std::strerror(errno);
  fd_ = -1;
  path_.clear();  // done: a later write must not reopen it
  return error_;
}

void TraceFile::abandon() {
  // The parent still writes this file; the child must not flush the gzip
  // state it inherited, only drop its descriptors.
#ifdef PYHOOKS_TRACER_HAVE_ZLIB
  gz_ = nullptr;  // leaked on purpose: freeing it would flush into the file
#endif
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  path_.clear();
}

int64_t file_size(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return -1;
  return static_cast<int64_t>(info.st_size);
}

}  // namespace tracer
