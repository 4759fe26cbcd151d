# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for sdharden. Commands and options are read from the
# installed binary's own --help, so they never drift from it.
_sdharden() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ ${COMP_WORDS[i]} != -* ]] && { cmd=${COMP_WORDS[i]}; break; }
  done
  if [[ -z $cmd ]]; then
    local cmds
    cmds=$("${COMP_WORDS[0]}" --help 2>/dev/null | awk 'tolower($0) ~ /^subcommands:/ {s=1; next} s && NF {print $1}')
    COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
    return
  fi
  case $prev in
    -o | --output | --profile | --dropin | --report | --policy | --baseline | --save-profile | --file)
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
    --root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
  esac
  if [[ $cur == -* ]]; then
    local opts
    opts=$("${COMP_WORDS[0]}" "$cmd" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d ' ,' | sort -u)
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return
  fi
  # Unit names of the system manager, and files.
  local units
  units=$(ls /etc/systemd/system /run/systemd/system /usr/lib/systemd/system /lib/systemd/system 2>/dev/null |
    grep -E '\.service$' | sort -u)
  COMPREPLY=($(compgen -W "$units" -- "$cur") $(compgen -f -- "$cur"))
}
complete -F _sdharden sdharden
