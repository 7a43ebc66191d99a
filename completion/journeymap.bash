# bash completion for journeymap(1)                                      -*- shell-script -*-
#
# Installed as PREFIX/share/bash-completion/completions/journeymap, where the bash-completion
# package loads it on first use; it also works sourced on its own (`. journeymap.bash`).
# Completes the commands, their options, option values (formats, states, themes, page sizes,
# input kinds) and input files.
# shellcheck disable=SC2207 # COMPREPLY=($(compgen ...)) is the completion idiom

# The themes: *.json in every data folder journeymap could use (JOURNEYMAP_DATA_DIR, the
# installation this file belongs to, the one next to the journeymap on PATH), else the
# built-in list.
_journeymap_completion_dir=${BASH_SOURCE[0]%/*}

_journeymap_themes()
{
    local dir exe file name
    local -a dirs=() names=()
    if [[ -n ${JOURNEYMAP_DATA_DIR-} ]]; then
        dirs+=("$JOURNEYMAP_DATA_DIR/themes" "$JOURNEYMAP_DATA_DIR/data/themes")
    fi
    dirs+=("$_journeymap_completion_dir/../../journeymap/themes")
    if exe=$(type -P journeymap 2>/dev/null); then
        dirs+=("${exe%/*}/../share/journeymap/themes")
    fi
    for dir in "${dirs[@]}"; do
        for file in "$dir"/*.json; do
            [[ -f $file ]] || continue
            name=${file##*/}
            names+=("${name%.json}")
        done
    done
    ((${#names[@]})) || names=(default print workshop)
    printf '%s\n' "${names[@]}" | sort -u
}

# Files ending in one of the extensions given, and folders to look in, that start with $cur.
_journeymap_files()
{
    local ext
    for ext in "$@"; do
        compgen -f -X "!*.$ext" -- "$cur"
    done
    compgen -d -- "$cur"
}

_journeymap()
{
    local cur prev cword
    local -a words
    if declare -F _init_completion >/dev/null 2>&1; then
        _init_completion -n = || return
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]:-}
        # Without bash-completion, "--theme=wor" arrives as "--theme" "=" "wor": join it
        # back, as _init_completion -n = does.
        if [[ $cur == = ]]; then
            cur="$prev="
        elif [[ $prev == = ]] && ((cword >= 2)); then
            cur="${COMP_WORDS[COMP_CWORD - 2]}=$cur"
        fi
    fi

    # --option=value: complete the value.
    local split=
    if [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
        split=1
    fi

    local -a commands=(render validate convert watch diff lint template help)
    if ((cword == 1)) && [[ -z $split ]]; then
        COMPREPLY=($(compgen -W "${commands[*]} --help --version -h -V" -- "$cur"))
        return
    fi
    local command=${words[1]}

    local values=
    case $prev in
        -f | --format)
            case $command in
                lint) values="text json sarif" ;;
                diff) values="png svg pdf html" ;; # the change map
                *) values="png svg pdf html json" ;;
            esac ;;
        --rule)
            # ID=LEVEL: the rule ids, then the levels after '='.
            if [[ $cur == *=* ]]; then
                local id=${cur%%=*}
                COMPREPLY=($(compgen -P "$id=" -W "off note warning error" -- "${cur#*=}"))
            else
                COMPREPLY=($(compgen -S = -W "all $(journeymap lint --list-rules 2>/dev/null | cut -d' ' -f1)" -- "$cur"))
                compopt -o nospace 2>/dev/null
            fi
            return
            ;;
        --state) values="auto before after compare" ;;
        --layout) values="auto detail overview" ;;
        --page) values="auto a4 a3 a2 a1 a0 letter tabloid" ;;
        --pages) values="auto 1 2 3 4 6 8" ;;
        --poster) values="a2 a1 a0 a3" ;;
        --from) values="json mermaid csv" ;;
        --scale) values="1 2 3 4" ;;
        -j | --jobs) values=$(seq 1 "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 4)") ;;
        --data-scale) values="1..5 0..10 nps" ;;
        --lang) values="en ru" ;;
        --lanes)
            # A list: the lane ids after the last comma.
            local done=${cur%,*}
            [[ $cur == *,* ]] && done="$done," || done=
            COMPREPLY=($(compgen -P "$done" -W "goals actions storyboard touchpoints emotions thoughts pains opportunities metrics compare evidence frontstage backstage support" -- "${cur##*,}"))
            compopt -o nospace 2>/dev/null
            return
            ;;
        --title | --svg-id-prefix | --footer | --data-min-n | --data-date | --stages) return ;;
        --data)
            local IFS=$'\n'
            COMPREPLY=($(_journeymap_files csv CSV tsv TSV))
            compopt -o filenames 2>/dev/null
            return
            ;;
        --font-dir)
            local IFS=$'\n'
            COMPREPLY=($(compgen -d -- "$cur") $(_journeymap_files ttf otf ttc TTF OTF TTC))
            compopt -o filenames 2>/dev/null
            return
            ;;
        --theme)
            # A theme name, or a theme file.
            local IFS=$'\n'
            COMPREPLY=($(compgen -W "$(_journeymap_themes)" -- "$cur")
                $(_journeymap_files json JSON))
            compopt -o filenames 2>/dev/null
            return
            ;;
        -o | --output)
            local IFS=$'\n'
            COMPREPLY=($(compgen -f -- "$cur"))
            compopt -o filenames 2>/dev/null
            return
            ;;
        -d | --dir)
            local IFS=$'\n'
            COMPREPLY=($(compgen -d -- "$cur"))
            compopt -o filenames 2>/dev/null
            return
            ;;
    esac
    if [[ -n $values ]]; then
        COMPREPLY=($(compgen -W "$values" -- "$cur"))
        return
    fi
    [[ -n $split ]] && return

    if [[ $cur == -* ]]; then
        local options
        case $command in
            render)
                options="-o --output -d --dir -f --format --state --layout --theme --font-dir
                         --scale --page --pages --poster --svg-id-prefix --footer --blank -j --jobs -q --quiet
                         --from --title --data --data-scale --data-min-n --data-date -h --help" ;;
            watch)
                options="-o --output -d --dir -f --format --state --layout --theme --font-dir
                         --scale --page --pages --poster --svg-id-prefix --footer --blank -q --quiet
                         --title --data --data-scale --data-min-n --data-date -h --help" ;;
            template)
                options="--stages --lanes --lang --title -o --output -f --format --theme --font-dir
                         --scale --page --pages --poster --footer -h --help" ;;
            validate) options="-q --quiet --from --title --data --data-scale --data-min-n
                         --data-date -h --help" ;;
            convert) options="-o --output --from --title --data --data-scale --data-min-n
                         --data-date -h --help" ;;
            diff) options="--json -o --output -f --format --theme --font-dir --scale --page --pages
                         --poster --footer --svg-id-prefix -q --quiet --from --title -h --help" ;;
            lint) options="-f --format --rule --list-rules -o --output -q --quiet --from --title -h --help" ;;
            *) return ;;
        esac
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi

    case $command in
        render | validate | convert | watch | diff | lint)
            # Inputs: models, Mermaid journeys, CSV exports, and folders to look in.
            local IFS=$'\n'
            COMPREPLY=($(_journeymap_files json JSON mmd mermaid md csv CSV tsv TSV))
            compopt -o filenames 2>/dev/null
            ;;
    esac
}

complete -F _journeymap journeymap
