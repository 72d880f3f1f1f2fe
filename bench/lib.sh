# bench/lib.sh — sourced by the benchmarks: run a command RUNS times (default 5) and report the
# median wall time, the peak RSS over all runs (/usr/bin/time) and the median CPU time.
runs=${RUNS:-5}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() {  # measure CMD... -> "median_wall_s peak_rss_kb median_cpu_s" (cpu = user + sys, children included)
  local times=() cpus=() rss=0 tmp
  for _ in $(seq "$runs"); do
    tmp=$(mktemp)
    /usr/bin/time -f '%e %M %U %S' -o "$tmp" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; cat "$tmp" >&2; }
    local e m u s; read -r e m u s < <(tail -1 "$tmp"); rm -f "$tmp"
    times+=("$e"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')"); (( m > rss )) && rss=$m
  done
  echo "$(printf '%s\n' "${times[@]}" | median) $rss $(printf '%s\n' "${cpus[@]}" | median)"
}
