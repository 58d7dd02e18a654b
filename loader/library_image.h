// loader/library_image.h - the memory a loaded shared object occupies.
//
// Descriptors must point into the library's own static data (plugin ABI
// policy PLUGIN-2). Checking every pointer against the library's loaded
// segments lets the loader reject a garbage descriptor with a message instead
// of crashing on it; callbacks must lie in an executable segment (LOADER-4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pyhooks {

class LibraryImage {
 public:
  // The image of the loaded object that contains `address` (e.g. its entry
  // function). Empty if no loaded object contains it.
  static LibraryImage containing(const void* address);

  bool empty() const { return segments_.empty(); }
  // True if [pointer, pointer + size) lies inside one loaded segment.
  bool contains(const void* pointer, size_t size) const;
  // True if `pointer` lies inside one executable (PF_X) loaded segment.
  bool contains_code(const void* pointer) const;
  // The load base (dlpi_addr): file addresses are relative to it.
  uintptr_t base() const { return base_; }
  // A NUL-terminated string at `pointer`, if it lies inside the image and
  // ends within `max_length` bytes.
  std::optional<std::string> read_string(const char* pointer,
                                         size_t max_length) const;

 private:
  struct Segment {
    uintptr_t begin;
    uintptr_t end;
    bool executable;
  };
  std::vector<Segment> segments_;
  uintptr_t base_ = 0;
};

}  // namespace pyhooks
