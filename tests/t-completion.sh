#!/bin/bash
# t-completion.sh: --completion's scripts, made from the option table:
# bash completes option names, closed sets of values and file names;
# zsh and fish accept their scripts, and fish completes from its own;
# every option --help lists is in all three.
. "$(dirname "$0")/lib.sh"

for sh in bash zsh fish; do
	"$COFETCH" --completion "$sh" >"$TMP/c.$sh"
	check_eq "--completion $sh exits 0" 0 $?
done
check_eq "an unknown shell is a usage error" 2 \
    "$("$COFETCH" --completion tcsh >/dev/null 2>&1; echo $?)"

# complete_bash WORDS...: what bash's completion offers for the last word.
complete_bash() {
	(cd "$TMP" && bash -c '. ./c.bash; COMP_WORDS=("$@")
	    COMP_CWORD=$(($# - 1)); _cofetch; printf "%s\n" "${COMPREPLY[@]}"' \
	    _ "$@")
}
check_eq "bash completes --per-h" "--per-host --per-host-rate" \
    "$(complete_bash cofetch --per-h | paste -sd' ')"
check_eq "bash completes -f's values" "body head json text" \
    "$(complete_bash cofetch -f "" | sort | paste -sd' ')"
check_eq "bash completes --proto-default's values" "https" \
    "$(complete_bash cofetch --proto-default https)"
touch "$TMP/urls.txt"
check_eq "bash completes -i's file names" "urls.txt" \
    "$(complete_bash cofetch -i ur)"
check_eq "bash offers nothing for -j's number" "" \
    "$(complete_bash cofetch -j "")"

if command -v zsh >/dev/null; then
	check "zsh -n accepts its script" zsh -n "$TMP/c.zsh"
	check "zsh's script starts with #compdef" grep -q '^#compdef cofetch' \
	    "$TMP/c.zsh"
else
	not_ok "zsh is not installed (scripts/deps installs it)"
fi
if command -v fish >/dev/null; then
	check "fish -n accepts its script" fish -n "$TMP/c.fish"
	check_eq "fish completes --per-h" "--per-host --per-host-rate" \
	    "$(fish -c "source $TMP/c.fish; complete -C 'cofetch --per-h'" |
	    cut -f1 | paste -sd' ')"
	check_eq "fish completes -f's values" "body head json text" \
	    "$(fish -c "source $TMP/c.fish; complete -C 'cofetch -f '" |
	    cut -f1 | sort | paste -sd' ')"
else
	not_ok "fish is not installed (scripts/deps installs it)"
fi

missing=
for o in $("$COFETCH" --help | grep -o -- '--[a-z][a-z0-9.-]*' | sort -u); do
	for sh in bash zsh fish; do
		case $sh in
		fish) pat="-l ${o#--}( |\$)" ;;
		*) pat="(^|[ '{,(|*])$o(\\[|[=)|' ]|\$)" ;;
		esac
		grep -Eq -- "$pat" "$TMP/c.$sh" || missing="$missing $sh:$o"
	done
done
check_eq "every option of --help is in every script" "" "$missing"
finish
