// plugins/tracer/trace_file.h - the output file: plain or gzip-compressed,
// written only by the writer thread (and at a fatal signal by the thread
// that flushes).
//
// A default name never replaces an existing file (O_EXCL; the caller tries
// the next free name); an explicit one is truncated and written in place, so
// that a process that ends by os._exit leaves the chunks flushed so far.
//
// create() makes the file at start-up (so that a bad path is reported then,
// and a default name is taken) and closes it again; the first write opens
// it. A short program therefore never holds a descriptor of ours while it
// runs (programs and tests that list their open descriptors see none).
#pragma once

#include <cstdint>
#include <string>

namespace tracer {

class TraceFile {
 public:
  TraceFile() = default;
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;
  ~TraceFile();

  // Creates (or truncates) `path` and closes it; "" or an error message.
  // `exclusive`: fail with EEXIST (reported through *error_number) rather
  // than truncate.
  std::string create(const std::string& path, bool gzip, bool exclusive,
                     int* error_number);
  // Appends `data`, opening the file at the first call; false after the
  // first failure (see error()).
  bool write(const std::string& data);
  // Flushes and closes; "" or an error message.
  std::string close();
  // In a forked child: forget the parent's file without flushing it.
  void abandon();

  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }
  uint64_t bytes_given() const { return bytes_given_; }

  // Whether .json.gz can be written (zlib was found at build time).
  static bool gzip_available();

 private:
  std::string open_for_writing();

  int fd_ = -1;
  bool gzip_ = false;
  void* gz_ = nullptr;  // gzFile when compressing
  std::string path_;
  std::string error_;
  uint64_t bytes_given_ = 0;
};

// Size of the file at `path` in bytes, or -1.
int64_t file_size(const std::string& path);

}  // namespace tracer
