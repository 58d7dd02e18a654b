// loader/library_image.cc - segments of a loaded object, via
// dl_iterate_phdr (glibc).
#include "library_image.h"

#include <link.h>

#include <cstring>

namespace pyhooks {

namespace {

struct FoundSegment {
  uintptr_t begin;
  uintptr_t end;
  bool executable;
};

struct Search {
  uintptr_t address;
  uintptr_t base = 0;
  std::vector<FoundSegment> segments;
};

int collect_if_containing(struct dl_phdr_info* info, size_t, void* data) {
  auto* search = static_cast<Search*>(data);
  std::vector<FoundSegment> segments;
  bool found = false;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& header = info->dlpi_phdr[i];
    if (header.p_type != PT_LOAD) {
      continue;
    }
    uintptr_t begin = info->dlpi_addr + header.p_vaddr;
    uintptr_t end = begin + header.p_memsz;
    segments.push_back({begin, end, (header.p_flags & PF_X) != 0});
    if (search->address >= begin && search->address < end) {
      found = true;
    }
  }
  if (!found) {
    return 0;
  }
  search->segments = std::move(segments);
  search->base = info->dlpi_addr;
  return 1;  // stop iterating
}

}  // namespace

LibraryImage LibraryImage::containing(const void* address) {
  Search search{reinterpret_cast<uintptr_t>(address), 0, {}};
  dl_iterate_phdr(collect_if_containing, &search);
  LibraryImage image;
  for (const FoundSegment& segment : search.segments) {
    image.segments_.push_back({segment.begin, segment.end, segment.executable});
  }
  image.base_ = search.base;
  return image;
}

bool LibraryImage::contains_code(const void* pointer) const {
  auto address = reinterpret_cast<uintptr_t>(pointer);
  for (const Segment& segment : segments_) {
    if (segment.executable && address >= segment.begin &&
        address < segment.end) {
      return true;
    }
  }
  return false;
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
