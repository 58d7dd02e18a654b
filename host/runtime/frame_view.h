// host/runtime/frame_view.h - what a plugin's `pyhooks_frame*` points at.
//
// The public prefix (pyhooks_frame) comes first; the host-private fields
// after it let host API calls (frame_line, eval_next, ...) reach the real
// frame. A FrameView lives on the C stack of the dispatch that made it and is
// valid only during that dispatch.
#pragma once

#include <pyhooks/plugin.h>

#include <cstddef>

#include "../compat/compat.h"

namespace pyhooks {

struct DispatchContext;
struct Chain;
struct CodeState;

struct FrameView {
  pyhooks_frame pub;  // must stay first
  PyThreadState* tstate;
  phc_frame* frame;  // nullptr once the frame has been left (exit events)
  DispatchContext* dispatch;  // the interpreter's host, as the sources see it
  const Chain* chain;
  CodeState* code_state;  // nullptr if it could not be allocated
  int throwflag;
  PyObject* c_self;    // C-call events: the object a method descriptor is
                       // called on (sys.monitoring's arg0), else nullptr
  uint32_t next_link;  // evaluators: where eval_next continues
  bool started;        // the body's prologue ran (cells are wrapped)
  bool consumed;       // the frame was run or finished; no link may run it
  bool entering;       // an enter event or evaluate (line/args available)
  bool starting;       // START or evaluate: the line is the first line
  bool in_hook;        // delivered from the eval-frame hook rather than
                       // from a sys.monitoring callback (which already runs
                       // with the thread marked as tracing)

  static FrameView* from(const pyhooks_frame* frame) {
    return reinterpret_cast<FrameView*>(const_cast<pyhooks_frame*>(frame));
  }

  // Sets every field of the public prefix, one store each: value-initializing
  // it (`pub = pyhooks_frame{}`) became a memset call once ABI 1.2 made the
  // struct 48 bytes. A field appended to pyhooks_frame must be set here:
  // the size check below fails until it is.
  void init_public(PyObject* code, uint64_t thread_id, uint32_t flags) {
    static_assert(sizeof(pyhooks_frame) ==
                      offsetof(pyhooks_frame, code_data) + sizeof(void*),
                  "pyhooks_frame grew: set the new field in init_public");
    pub.struct_size = sizeof(pyhooks_frame);
    pub.flags = flags;
    pub.code = code;
    pub.thread_id = thread_id;
    pub.value = nullptr;
    pub.callable = nullptr;
    pub.code_data = nullptr;
  }
};

}  // namespace pyhooks
