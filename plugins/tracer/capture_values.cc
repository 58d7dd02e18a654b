// plugins/tracer/capture_values.cc - capture_args / capture_return: the
// reprs a slice carries (capture.h). Only reached when one of the options
// is on; repr itself is value_repr.cc (the plugin's Python half).
#include <cstddef>

#include "tracer.h"
#include "value_repr.h"

namespace tracer {

void Tracer::capture_args(const pyhooks_frame* frame, Capture* capture) {
  pyhooks_code_info info{};
  info.struct_size = sizeof(info);
  if (api_->code_info(self_, frame->code, &info) != PYHOOKS_OK) return;
  // The positional and keyword-only parameters (not *args, **kwargs).
  for (int32_t i = 0; i < info.arg_count; ++i) {
    const char* name = nullptr;
    struct _object* value = nullptr;
    if (api_->code_local(self_, frame->code, i, &name, nullptr) != PYHOOKS_OK ||
        api_->frame_local(frame, i, &value) != PYHOOKS_OK) {
      continue;
    }
    std::string text;
    append_repr(self_, value, options_.repr_limit, &text);
    capture->args.emplace_back(name ? name : "?", std::move(text));
  }
}

void Tracer::capture_exit(pyhooks_event event, const pyhooks_frame* frame,
                          Capture* capture) {
  if (event != PYHOOKS_EVENT_RETURN && event != PYHOOKS_EVENT_YIELD) return;
  if (frame->struct_size < offsetof(pyhooks_frame, value) + sizeof(void*) ||
      frame->value == nullptr) {
    return;  // an exit the host did not see
  }
  capture->exit_key =
      event == PYHOOKS_EVENT_RETURN ? "return_value" : "yielded";
  append_repr(self_, frame->value, options_.repr_limit, &capture->exit_value);
}

}  // namespace tracer
