# bash completion for rcbatch. Subcommands and each one's options are read from the binary's
# own --help (so they cannot drift), action names from `rcbatch actions` (the user's and the
# profile's declared actions too), job and action files are *.toml
# and run folders are folders.

_rcbatch() {
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion || return
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
    fi
    local bin=${words[0]} cmd="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -*) ;;
            *) cmd=${words[i]}; break ;;
        esac
    done

    _rcbatch_files() {  # $1: a glob pattern of files, or -d for folders
        if declare -F _filedir >/dev/null; then
            if [[ $1 == -d ]]; then _filedir -d; else _filedir "${1#*.}"; fi
        elif [[ $1 == -d ]]; then
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -d -- "$cur"; compgen -f -X "!$1" -- "$cur")
        fi
    }

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W '--help --version' -- "$cur")
        else
            local commands
            commands=$("$bin" --help 2>/dev/null | awk '/^commands:/ {on = 1; next} /^$/ {on = 0} on {print $1}')
            mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
        fi
        return
    fi

    case $prev in
        --config | --key-file | --metrics-file | --ca-out | --state | --token-file | --tls-cert | \
            --tls-key) _rcbatch_files '*'; return ;;
        --report-dir | --resume | --plan) _rcbatch_files -d; return ;;
        --environment) mapfile -t COMPREPLY < <(compgen -W 'test live' -- "$cur"); return ;;
        --log-format) mapfile -t COMPREPLY < <(compgen -W 'text json' -- "$cur"); return ;;
        --csv) mapfile -t COMPREPLY < <(compgen -W 'safe raw' -- "$cur"); return ;;
        --profile | --job | --limit | --concurrency | --rate | --jitter | --max-runtime | --port | \
            --seed | --orders | --domains | --latency | --faults | --keepalive-requests | \
            --max-connections | --conn-cap | --block-after | --listen) return ;;
    esac

    if [[ $cur == -* ]]; then
        local options
        options=$("$bin" "$cmd" --help 2>/dev/null | grep -oE -- '--[a-z][a-z-]*' | sort -u)
        mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
        return
    fi
    case $cmd in
        run | plan | validate) _rcbatch_files '*.toml' ;;
        report | settle) _rcbatch_files -d ;;
        actions)
            local actions
            actions=$("$bin" actions 2>/dev/null | awk '/^[a-z0-9-]+(\.[a-z0-9-]+)+ / {print $1}')
            mapfile -t COMPREPLY < <(compgen -W "$actions" -- "$cur")
            ;;
    esac
}
complete -F _rcbatch rcbatch
