# Drives a shell's real line editor through a pseudo-terminal: types each LINE, presses TAB,
# and prints the edited line as "<LINE AFTER COMPLETION>", one per input line.
#
#   zsh -f complete.zsh bash SETUP LINE...    bash -i with readline; SETUP is run first
#   zsh -f complete.zsh zsh SETUP LINE...     zsh -i with compinit; SETUP is run first
#
# SETUP loads the completion under test (bash: `. FILE`; zsh: `fpath=(DIR $fpath)`).
zmodload zsh/zpty || { print -u2 "complete.zsh: no zsh/zpty module"; exit 2 }
shell=$1 setup=$2
shift 2
out=$(mktemp) || exit 2

case $shell in
bash)
  zpty -b drv bash --norc --noprofile -i || exit 2
  zpty -w drv "PS1=''; bind 'set bell-style none'; $setup"
  zpty -w drv "bind -x '\"\\C-t\": printf \"<%s>\\n\" \"\$READLINE_LINE\" >> $out; READLINE_LINE='"
  ;;
zsh)
  zpty -b drv zsh -f -i || exit 2
  zpty -w drv "PS1='' RPS1=''; unsetopt beep; $setup; autoload -Uz compinit; compinit -u -D"
  zpty -w drv "dump() { print -r -- \"<\$BUFFER>\" >> $out; BUFFER=''; }; zle -N dump; bindkey '^T' dump"
  ;;
*) print -u2 "complete.zsh: bash or zsh, not $shell"; exit 2 ;;
esac
for line in "$@"; do
  zpty -w -n drv "$line"$'\t\x14'
done
# Each line's result arrives once the shell has read it: wait for all of them (10 s at most).
for i in {1..100}; do
  (( $(wc -l < $out) >= $# )) && break
  sleep 0.1
done
zpty -w drv 'exit'
zpty -d drv
cat $out
rm -f $out
