#!/usr/bin/env bash
# usage: oxmin.tmp.sh CONFIG [N]: min wall-clock of N oxlint runs over /tmp/rel500.txt
cd /work/main
best=999
for i in $(seq 1 ${2:-5}); do
  s=$(date +%s.%N); node_modules/oxlint/bin/oxlint -c $1 --format json --no-ignore $(cat /tmp/rel500.txt) >/dev/null; e=$(date +%s.%N)
  t=$(echo "$e - $s" | bc); best=$(echo "if ($t < $best) $t else $best" | bc)
done
echo "min of ${2:-5}: $best s ($1)"
