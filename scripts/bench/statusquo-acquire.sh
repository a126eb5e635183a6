#!/usr/bin/env bash
# The status quo scopelock replaces: the documented list/check/write protocol done by hand with bash and jq.
#
#   statusquo-acquire.sh LOCKS AGENT ENTRY...
#
# Lists LOCKS/*.lock, reads each unexpired record's files and directories with one jq call, compares every
# held entry with every requested one as strings (equal, or one a directory prefix of the other; globs are
# compared as plain text, as the status quo does), then writes AGENT's record with jq. No mutex, no temp
# file, no fsync: nothing stops two agents from both passing the check and writing.
set -euo pipefail
locks=$1 agent=$2
shift 2
mkdir -p "$locks"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for record in "$locks"/*.lock; do
    [ -e "$record" ] || continue
    holder=$(basename "$record" .lock)
    [ "$holder" = "$agent" ] && continue
    mapfile -t held < <(jq -r --arg now "$now" 'select(.expires_at > $now) | (.files + (.directories // []))[]' "$record")
    for h in "${held[@]}"; do
        for r in "$@"; do
            if [[ "$h" == "$r" || ( "$h" == */ && "$r" == "$h"* ) || ( "$r" == */ && "$h" == "$r"* ) ]]; then
                echo "conflict: $agent's $r overlaps $holder's $h" >&2
                exit 1
            fi
        done
    done
done
files=() directories=()
for r in "$@"; do
    if [[ "$r" == */ ]]; then directories+=("$r"); else files+=("$r"); fi
done
expires=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
jq -n --arg agent "$agent" --arg now "$now" --arg expires "$expires" \
    --argjson files "$(printf '%s\n' "${files[@]}" | jq -R . | jq -s .)" \
    --argjson directories "$(printf '%s\n' "${directories[@]}" | jq -R . | jq -s .)" \
    '{agent: $agent, locked_at: $now, files: $files, directories: $directories, expires_at: $expires}' >"$locks/$agent.lock"
