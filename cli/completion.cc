// cli/completion.cc - the bash completion script (see completion.h).
#include "completion.h"

namespace pyhooks {

namespace {

// "--config --python -p --plugin ..." of one (sub)command.
std::string flags_of(const CLI::App& command) {
  std::string words;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_lnames()) {
      words += " --" + name;
    }
    for (const std::string& name : option->get_snames()) {
      words += " -" + name;
    }
  }
  return words.empty() ? words : words.substr(1);
}

}  // namespace

std::string bash_completion(const CLI::App& app) {
  std::string commands;
  std::string cases;
  for (const CLI::App* command : app.get_subcommands({})) {
    const std::string& name = command->get_name();
    commands += (commands.empty() ? "" : " ") + name;
    cases += "    " + name + ") words=\"" + flags_of(*command) + "\" ;;\n";
  }
  return "# bash completion for pyhooks; load it with\n"
         "#   source <(pyhooks completion bash)\n"
         "# or save it as ~/.local/share/bash-completion/completions/pyhooks\n"
         "_pyhooks() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} "
         "prev=${COMP_WORDS[COMP_CWORD-1]}\n"
         "  local command='' words='' i\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    case ${COMP_WORDS[i]} in\n"
         "      -*) ;;\n"
         "      *) command=${COMP_WORDS[i]}; break ;;\n"
         "    esac\n"
         "  done\n"
         "  case $prev in\n"
         "    -p|--plugin)\n"
         "      COMPREPLY=($(compgen -W \"$(${COMP_WORDS[0]} list 2>/dev/null"
         " | awk 'NR > 2 && NF > 1 {print $1}')\" -- \"$cur\"))\n"
         "      return ;;\n"
         "    --config) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
         "    --python) COMPREPLY=($(compgen -c -- \"$cur\")); return ;;\n"
         "  esac\n"
         "  case $command in\n"
         "    '') words=\"" +
         commands +
         " help --help --version\" ;;\n"
         "    help) words=\"" +
         commands + "\" ;;\n" + cases +
         "  esac\n"
         "  if [[ -z $command || $cur == -* ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
         "  else\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "  fi\n"
         "}\n"
         "complete -o filenames -F _pyhooks pyhooks\n";
}

}  // namespace pyhooks
