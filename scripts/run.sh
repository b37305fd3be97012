#!/bin/bash
# run.sh - "make run": build, then show what this build can do.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
echo "Built programs:"
find build/src -maxdepth 2 -type f -perm -u+x ! -name '*.so' -printf '  %f\n' | sort
echo
echo "Try: build/src/postconf/postconf -d | head"
