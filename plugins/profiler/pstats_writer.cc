// plugins/profiler/pstats_writer.cc - encoding the merged profile as a
// pstats dict (see pstats_writer.h).
#include "pstats_writer.h"

#include <map>
#include <tuple>
#include <vector>

#include "marshal_writer.h"

namespace profiler {

namespace {

using Key = std::tuple<std::string, int32_t, std::string>;

struct Sums {
  uint64_t total_calls = 0;
  uint64_t primitive_calls = 0;
  uint64_t own_ns = 0;
  uint64_t cum_ns = 0;
};

struct Entry {
  Sums sums;
  std::map<Key, Sums> callers;
};

Key key_of(const FunctionInfo& function) {
  return Key{function.filename, function.first_line, function.name};
}

void write_key(MarshalWriter& out, const Key& key) {
  out.begin_tuple(3);
  out.text(std::get<0>(key));
  out.integer(std::get<1>(key));
  out.text(std::get<2>(key));
}

double seconds(uint64_t ns) { return static_cast<double>(ns) / 1e9; }

}  // namespace

std::string pstats_bytes(const MergedProfile& profile,
                         const FunctionRegistry& functions) {
  // Every function that ran or called something gets an entry (tools look
  // callers up in the dict).
  std::vector<bool> listed(profile.funcs.size(), false);
  for (const MergedEdge& edge : profile.edges) {
    listed[edge.caller] = listed[edge.callee] = true;
  }
  std::map<Key, Entry> entries;
  for (size_t fid = 0; fid < profile.funcs.size(); ++fid) {
    const MergedFunction& func = profile.funcs[fid];
    if (!listed[fid] && func.calls == 0 && func.own_ns == 0 &&
        func.cum_ns == 0) {
      continue;
    }
    Sums& sums = entries[key_of(functions[static_cast<uint32_t>(fid)])].sums;
    sums.total_calls += func.calls;
    sums.primitive_calls += func.calls - func.recursive_calls;
    sums.own_ns += func.own_ns;
    sums.cum_ns += func.cum_ns;
  }
  for (const MergedEdge& edge : profile.edges) {
    auto callee = entries.find(key_of(functions[edge.callee]));
    if (callee == entries.end()) continue;
    Sums& sums = callee->second.callers[key_of(functions[edge.caller])];
    sums.total_calls += edge.calls;
    sums.primitive_calls += edge.calls - edge.recursive_calls;
    sums.own_ns += edge.own_ns;
    sums.cum_ns += edge.cum_ns;
  }

  MarshalWriter out;
  out.begin_dict();
  for (const auto& [key, entry] : entries) {
    write_key(out, key);
    out.begin_tuple(5);
    out.unsigned_integer(entry.sums.primitive_calls);
    out.unsigned_integer(entry.sums.total_calls);
    out.real(seconds(entry.sums.own_ns));
    out.real(seconds(entry.sums.cum_ns));
    out.begin_dict();
    for (const auto& [caller, sums] : entry.callers) {
      write_key(out, caller);
      out.begin_tuple(4);
      out.unsigned_integer(sums.total_calls);
      out.unsigned_integer(sums.primitive_calls);
      out.real(seconds(sums.own_ns));
      out.real(seconds(sums.cum_ns));
    }
    out.end_dict();
  }
  out.end_dict();
  return out.bytes();
}

}  // namespace profiler
