// plugins/support/process_identity.h - which process this profile is of:
// the program pyhooks run started, or one of its children (forked, or a new
// interpreter started by subprocess or multiprocessing's spawn), and the
// command line to name it by.
//
// `pyhooks run` records the program's pid in $PYHOOKS_RUN_SPEC ("pid": N),
// which every child inherits; a process whose pid differs is a child. A
// process without that variable (pyhooks.load in a plain python) is the
// program.
#pragma once

#include <string>

namespace pyhooks::support {

// False in a child of the program `pyhooks run` started.
bool is_program_process();

// This process's command line, arguments separated by spaces, cut to about
// `limit` bytes ("..." at the end when cut); "" if unknown.
std::string command_line(size_t limit = 160);

}  // namespace pyhooks::support
