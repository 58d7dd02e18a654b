"""Decodes a .perfetto-trace with python3-protobuf against
proto/pyhooks_perfetto_subset.proto (compiled with protoc into a temporary
directory) and prints what it holds as JSON on stdout:

  {"process": {...}, "processes": {uuid: {...}}, "threads": {uuid: {...}},
   "slices": [...], "instants": [...], "packets": N}

"process" is the first process described (the program's, in a merged
trace); "threads" holds every thread track and every named track (an asyncio
task's, "task": true), each with the pid of its process.

Run with Debian's python3 (which has google.protobuf), not the interpreter
under test. Interning, sequence state and track defaults are resolved the
way Perfetto's trace processor does; then each track's BEGIN/END events are
sorted by timestamp and paired like a stack, which fails (exit status 1, a
message on stderr) on anything the trace processor would reject: an END
without a BEGIN, a BEGIN never ended, an unknown name iid, unknown fields,
and (merged traces) one sequence carrying the tracks of two processes:
every process's packets must keep sequences of their own, since interning
and track defaults are per sequence."""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def load_module():
    out = tempfile.mkdtemp(prefix="pyhooks-proto-")
    subprocess.run(["protoc", "-I", os.path.join(HERE, "proto"),
                    "--python_out=" + out, "pyhooks_perfetto_subset.proto"],
                   check=True)
    sys.path.insert(0, out)
    import pyhooks_perfetto_subset_pb2
    return pyhooks_perfetto_subset_pb2


def fail(message):
    sys.stderr.write("decode_perfetto: %s\n" % message)
    sys.exit(1)


def check_known(message, where):
    """Fails on fields the .proto copy does not name (a wrong field number
    in the encoder shows up here), in the message and every sub-message."""
    if len(message.UnknownFields()):
        fail("unknown fields in %s (%s)" % (where, message.DESCRIPTOR.name))
    for field, value in message.ListFields():
        if field.type != field.TYPE_MESSAGE:
            continue
        items = value if field.label == field.LABEL_REPEATED else [value]
        for item in items:
            check_known(item, where + "." + field.name)


def main(path):
    pb = load_module()
    trace = pb.Trace()
    with open(path, "rb") as f:
        data = f.read()
    trace.ParseFromString(data)
    names = {}      # sequence -> {iid: name}
    defaults = {}   # sequence -> track uuid
    tracks = {}
    process = None
    processes = {}
    task_tracks = {}
    events = {}     # track uuid -> [(ts, order, kind, name, flows, args)]
    sequence_tracks = {}  # sequence -> track uuids it describes or uses
    instants = []
    for order, packet in enumerate(trace.packet):
        check_known(packet, "packet %d" % order)
        seq = packet.trusted_packet_sequence_id
        if packet.sequence_flags & 1:
            names[seq] = {}
            defaults.pop(seq, None)
        if packet.HasField("trace_packet_defaults"):
            defaults[seq] = (packet.trace_packet_defaults
                             .track_event_defaults.track_uuid)
        if packet.HasField("interned_data"):
            if seq not in names:
                fail("interned data before the sequence was cleared")
            for entry in packet.interned_data.event_names:
                names[seq][entry.iid] = entry.name
        if packet.HasField("track_descriptor"):
            desc = packet.track_descriptor
            sequence_tracks.setdefault(seq, set()).add(desc.uuid)
            if desc.HasField("process"):
                described = {"uuid": desc.uuid, "pid": desc.process.pid,
                             "name": desc.process.process_name}
                if process is None:
                    process = described
                processes[desc.uuid] = described
            if desc.HasField("thread"):
                tracks[desc.uuid] = {"pid": desc.thread.pid,
                                     "tid": desc.thread.tid,
                                     "name": desc.thread.thread_name,
                                     "parent": desc.parent_uuid,
                                     "task": False}
            elif desc.HasField("name") and not desc.HasField("process"):
                task_tracks[desc.uuid] = {"name": desc.name,
                                          "parent": desc.parent_uuid}
        if not packet.HasField("track_event"):
            continue
        event = packet.track_event
        if not packet.HasField("timestamp"):
            fail("track event without timestamp (packet %d)" % order)
        track = event.track_uuid if event.HasField("track_uuid") \
            else defaults.get(seq)
        if track is None:
            fail("track event without a track (packet %d)" % order)
        sequence_tracks.setdefault(seq, set()).add(track)
        args = {a.name: (a.uint_value if a.HasField("uint_value")
                         else a.string_value if a.HasField("string_value")
                         else a.bool_value) for a in event.debug_annotations}
        if event.HasField("name_iid"):
            if event.name_iid not in names.get(seq, {}):
                fail("unknown name iid %d on sequence %d"
                     % (event.name_iid, seq))
            name = names[seq][event.name_iid]
        else:
            name = event.name
        if event.type == 3:
            instants.append({"ts": packet.timestamp, "track": track,
                             "name": name, "args": args})
            continue
        if event.type not in (1, 2):
            fail("event type %d" % event.type)
        events.setdefault(track, []).append(
            (packet.timestamp, order, event.type, name,
             list(event.flow_ids), list(event.terminating_flow_ids), args))
    for uuid, task in task_tracks.items():
        if task["parent"] not in processes:
            fail("track %d has no process parent" % uuid)
        tracks[uuid] = {"pid": processes[task["parent"]]["pid"], "tid": None,
                        "name": task["name"], "parent": task["parent"],
                        "task": True}
    owner = {uuid: info["uuid"] for uuid, info in processes.items()}
    for uuid, info in tracks.items():
        owner[uuid] = info["parent"]
    for seq, uuids in sequence_tracks.items():
        if len({owner.get(uuid, uuid) for uuid in uuids}) > 1:
            fail("sequence %d carries the tracks of several processes" % seq)
    slices = []
    for track, items in events.items():
        if track not in tracks:
            fail("events on undescribed track %d" % track)
        items.sort(key=lambda item: (item[0], item[1]))
        stack = []
        for ts, _, kind, name, flows, terminating, args in items:
            if kind == 1:
                stack.append({"track": track, "name": name, "begin": ts,
                              "depth": len(stack), "flows": flows,
                              "terminating": terminating, "args": args,
                              "parent": stack[-1]["name"] if stack else None})
            else:
                if not stack:
                    fail("SLICE_END without a begin at %d" % ts)
                done = stack.pop()
                done["end"] = ts
                slices.append(done)
        if stack:
            fail("%d slices never ended on track %d" % (len(stack), track))
    slices.sort(key=lambda s: (s["track"], s["begin"]))
    json.dump({"process": process,
               "processes": {str(k): v for k, v in processes.items()},
               "threads": {str(k): v for k, v in tracks.items()},
               "slices": slices, "instants": instants,
               "packets": len(trace.packet), "bytes": len(data)},
              sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
