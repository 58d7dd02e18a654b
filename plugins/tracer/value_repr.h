// plugins/tracer/value_repr.h - repr() of a captured value, for
// capture_args / capture_return: safe to call from inside any event.
//
// repr runs Python code. The host does not report frames run inside an
// observer's callback (plugin-abi.md, HOST-5), so that code is not traced.
// An exception being raised (an UNWIND, a C_RAISE) is set aside around the
// call and put back; a repr that fails gives "<repr failed: TypeError>" and
// its exception is cleared, never raised out of the tracer. The text is cut
// to `limit` characters (code points, so UTF-8 is never cut inside one)
// with "..." appended (capture.h, cut_utf8). Only the plugin (not the
// unit-tested core) links this: it calls the limited Python C API, resolved
// from the interpreter.
#pragma once

#include <pyhooks/plugin.h>

#include <cstdint>
#include <string>

namespace tracer {

// Appends the repr of `value` (borrowed; NULL gives "<unbound>") to `out`.
// The GIL is held (any event callback).
void append_repr(pyhooks_plugin* self, struct _object* value, uint32_t limit,
                 std::string* out);

}  // namespace tracer
