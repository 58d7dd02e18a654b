// host/loader/library_image.cc - segments of a loaded object, via
// dl_iterate_phdr (glibc).
#include "library_image.h"

#include <link.h>

#include <cstring>

namespace pyhooks {

namespace {

struct Search {
  uintptr_t address;
  std::vector<std::pair<uintptr_t, uintptr_t>> segments;
};

int collect_if_containing(struct dl_phdr_info* info, size_t, void* data) {
  auto* search = static_cast<Search*>(data);
  std::vector<std::pair<uintptr_t, uintptr_t>> segments;
  bool found = false;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = info->dlpi_phdr[i];
    if (header.p_type != PT_LOAD) {
      continue;
    }
    uintptr_t begin = info->dlpi_addr + header.p_vaddr;
    uintptr_t end = begin + header.p_memsz;
    segments.emplace_back(begin, end);
    if (search->address >= begin && search->address < end) {
      found = true;
    }
  }
  if (!found) {
    return 0;
  }
  search->segments = std::move(segments);
  return 1;  // stop iterating
}

}  // namespace

LibraryImage LibraryImage::containing(const void* address) {
  Search search{reinterpret_cast<uintptr_t>(address), {}};
  dl_iterate_phdr(collect_if_containing, &search);
  LibraryImage image;
  for (auto [begin, end] : search.segments) {
    image.segments_.push_back({begin, end});
  }
  return image;
}

bool LibraryImage::contains(const void* pointer, size_t size) const {
  auto begin = reinterpret_cast<uintptr_t>(pointer);
  if (pointer == nullptr || begin + size < begin) {
    return false;
  }
  for (const Segment& segment : segments_) {
    if (begin >= segment.begin && begin + size <= segment.end) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> LibraryImage::read_string(const char* pointer,
                                                     size_t max_length) const {
  auto begin = reinterpret_cast<uintptr_t>(pointer);
  for (const Segment& segment : segments_) {
    if (pointer == nullptr || begin < segment.begin || begin >= segment.end) {
      continue;
    }
    size_t room = segment.end - begin;
    size_t limit = room < max_length + 1 ? room : max_length + 1;
    const void* nul = std::memchr(pointer, '\0', limit);
    if (nul == nullptr) {
      return std::nullopt;
    }
    return std::string(pointer, static_cast<const char*>(nul));
  }
  return std::nullopt;
}

}  // namespace pyhooks
