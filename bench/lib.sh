# bench/lib.sh — sourced by the benchmarks: run a command RUNS times (default 5) and report the
# median wall time (to the millisecond), the peak RSS over all runs (/usr/bin/time) and the median
# CPU time. measure_pair alternates two commands run for run, so a machine that speeds up or slows
# down during the benchmark (as shared VMs do) shifts both alike and their ratio stays fair.
# settle='CMD' (a variable, for one measure call) runs CMD after every run, outside the timing: to
# delete a run's output and sync, so no run pays for removing, or writing back, what another wrote.
runs=${RUNS:-5}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

run_once() {  # run_once CMD... -> "wall_s rss_kb cpu_s"
  local tmp t0 t1 m u s
  tmp=$(mktemp)
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%M %U %S' -o "$tmp" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; cat "$tmp" >&2; }
  t1=$EPOCHREALTIME
  read -r m u s < <(tail -1 "$tmp"); rm -f "$tmp"
  [[ -z ${settle:-} ]] || bash -c "$settle"
  awk -v a="$t0" -v b="$t1" -v m="$m" -v u="$u" -v s="$s" 'BEGIN {printf "%.3f %d %.2f\n", b - a, m, u + s}'
}

summarize() {  # lines "wall rss cpu" on stdin -> "median_wall_s peak_rss_kb median_cpu_s"
  local w=() r=0 c=() a b d
  while read -r a b d; do w+=("$a"); c+=("$d"); (( b > r )) && r=$b; done
  echo "$(printf '%s\n' "${w[@]}" | median) $r $(printf '%s\n' "${c[@]}" | median)"
}

measure() {  # measure CMD... -> "median_wall_s peak_rss_kb median_cpu_s" (cpu = user + sys, children included)
  for _ in $(seq "$runs"); do run_once "$@"; done | summarize
}

measure_pair() {  # measure_pair CMD_A... -- CMD_B... -> two lines as measure prints, A's then B's
  local a=() b=() seen= out
  for x in "$@"; do
    if [[ -z $seen && $x == -- ]]; then seen=1; elif [[ -z $seen ]]; then a+=("$x"); else b+=("$x"); fi
  done
  out=$(mktemp -d)
  for _ in $(seq "$runs"); do
    run_once "${a[@]}" >>"$out/a"
    run_once "${b[@]}" >>"$out/b"
  done
  summarize <"$out/a"; summarize <"$out/b"; rm -rf "$out"
}

# free_port: a TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_registry DIR PORT: Debian's docker-registry, plain HTTP and anonymous, on 127.0.0.1:PORT,
# storing in DIR/data (config DIR/config.yml, log DIR/log); sets registry_pid (the caller stops it)
# and returns once /v2/ answers, or fails.
start_registry() {
  mkdir -p "$1"
  printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s}}\nhttp: {addr: "127.0.0.1:%s"}\n' \
    "$1/data" "$2" >"$1/config.yml"
  docker-registry serve "$1/config.yml" >"$1/log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 200); do
    curl -s -o /dev/null "http://127.0.0.1:$2/v2/" && return 0
    sleep 0.05
  done
  echo "docker-registry did not answer on 127.0.0.1:$2 ($1/log)" >&2
  return 1
}
