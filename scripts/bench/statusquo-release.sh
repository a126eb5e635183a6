#!/usr/bin/env bash
# The status quo's release: remove the agent's record.
#
#   statusquo-release.sh LOCKS AGENT
set -euo pipefail
rm -f "$1/$2.lock"
