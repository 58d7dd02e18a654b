// plugins/tracer/capture.cc - cutting captured reprs (see capture.h).
#include "capture.h"

namespace tracer {

void cut_utf8(std::string* text, uint32_t limit) {
  uint32_t points = 0;
  for (size_t i = 0; i < text->size(); ++i) {
    // A code point starts at every byte that is not a continuation byte.
    if ((static_cast<unsigned char>((*text)[i]) & 0xC0) != 0x80 &&
        points++ == limit) {
      text->resize(i);
      text->append("...");
      return;
    }
  }
}

}  // namespace tracer
