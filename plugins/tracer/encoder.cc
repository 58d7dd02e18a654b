// plugins/tracer/encoder.cc - choosing an encoder, and what every format
// calls a thread.
#include "encoder.h"

namespace tracer {

std::unique_ptr<Encoder> make_perfetto_encoder(const NameTable* names);
std::unique_ptr<Encoder> make_json_encoder(const NameTable* names);

std::unique_ptr<Encoder> make_encoder(Format format, const NameTable* names) {
  return format == Format::kJson ? make_json_encoder(names)
                                 : make_perfetto_encoder(names);
}

std::string thread_label(const ThreadInfo& thread) {
  if (!thread.name.empty()) return thread.name;
  if (thread.main) return "main thread";
  return "thread " + std::to_string(thread.ordinal) + " (ident " +
         std::to_string(thread.ident) + ")";
}

}  // namespace tracer
