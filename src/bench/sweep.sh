#!/usr/bin/env bash
# Runs a list of delivery-benchmark configurations RUNS times each, one run at a time, and prints one table
# row per configuration with the MEDIANS over its runs. Every result line is kept in OUT/<label>.jsonl, so the
# table can be printed again later (`src/bench/sweep.sh --table OUT`).
#
# usage: RUNS=3 OUT=/tmp/sweep src/bench/sweep.sh CONFIGS_FILE
#        src/bench/sweep.sh --table OUT
#
# CONFIGS_FILE: one configuration per line, "label<TAB or |>delivery options"; blank lines and # comments skipped.
#   rate-400  | --rate 400 --duration-s 40 --warmup-s 10 --concurrency 16
#   closed-t1 | --conversations 4000 --concurrency 16 --warmup-s 10 --targets 1
#   state-2   | --conversations 4000 --warmup-s 10 --server-config-patch state.instances=2,shards=64
# Columns: accepted/s over the whole send; from the `steady` block: events sent in it per s (accepted/s steady),
# the slower target's delivered/s (above the accepted rate while a warm-up backlog drains), the worst target's
# sent->delivered p50/p99 of unheld events (all but abandoned calls) and p99 of all, server cores and CPU ms per
# event sent in the span; the server's peak RSS; and lost + duplicated + order violations within the lateness
# bound (README, "Delivery benchmark"), worst run.
# Options must not contain spaces. Run i of every configuration uses --seed i, so configurations see the same loads. Use --warmup-s: the table reads the `steady` block
# (from the end of the warm-up to the end of sending) when there is one, the whole run otherwise.
# Build the jar first (mvn -q -o -DskipTests package); BENCH_MVN_FLAGS defaults to -o.
set -euo pipefail
cd "$(dirname "$0")/../.."

table() {
  python3 - "$1" <<'EOF'
import json, os, statistics, sys, glob
out = sys.argv[1]
order = []
if os.path.exists(os.path.join(out, "order.txt")):
    order = [l.strip() for l in open(os.path.join(out, "order.txt")) if l.strip()]
files = {os.path.basename(f)[:-6]: f for f in glob.glob(os.path.join(out, "*.jsonl"))}
labels = [l for l in order if l in files] + sorted(l for l in files if l not in order)
def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None
def fmt(x, d=0):
    if x is None: return "-"
    return f"{x:,.{d}f}"
print("| config | runs | offered/s | accepted/s | accepted/s steady | delivered/s steady (min target) | p50 unheld ms | p99 unheld ms | p99 all ms | server cores | server CPU ms/event | peak RSS MB | lost+dup+order |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for label in labels:
    rows = [json.loads(l) for l in open(files[label]) if l.strip()]
    rows = [r.get("switchboard", r) for r in rows]
    acc, accs, dlv, p50u, p99u, p99a, cores, cpu, rss, bad = [], [], [], [], [], [], [], [], [], []
    for r in rows:
        acc.append(r.get("acceptedPerSec"))
        st = r.get("steady")
        if st:
            t = st["targets"]
            n = max(v["sentToDeliveredMs"]["n"] for v in t.values())
            accs.append(st.get("sentPerSec", n / st["seconds"]))
            dlv.append(min(v["deliveredPerSec"] for v in t.values()))
            p50u.append(max(v["unheldSentToDeliveredMs"].get("p50", 0) for v in t.values()))
            p99u.append(max(v["unheldSentToDeliveredMs"].get("p99", 0) for v in t.values()))
            p99a.append(max(v["sentToDeliveredMs"].get("p99", 0) for v in t.values()))
            cores.append(st.get("serverCores"))
            if "serverCpuMs" in st:
                cpu.append(st["serverCpuMsPerEvent"])
            else:  # older lines: per event delivered to the first target; convert to per event sent in the span
                first = next(iter(t.values()))
                cpu.append(round(st["serverCpuMsPerEvent"] * first["delivered"] / n, 3) if n else None)
        else:
            t = r["targets"]
            dlv.append(min(v["deliveredPerSec"] for v in t.values()))
            p99a.append(max(v["sentToDeliveredMs"].get("p99", 0) for v in t.values()))
            cores.append(r["cpu"].get("sendServerCores"))
            ev = r.get("accepted") or 1
            cpu.append(round(r["cpu"]["serverCpuSeconds"] * 1000 / ev, 3))
        rss.append(r["memory"]["serverPeakRssMb"])
        # Violations within the lateness bound: the ones the smoke fails on (older lines: orderViolations).
        bad.append(sum(v["lost"] + v["duplicated"] + v.get("violationsWithinBound", v["orderViolations"])
                       for v in r["targets"].values()))
    offered = rows[0].get("rate")
    print(f"| {label} | {len(rows)} | {fmt(offered) if offered else 'closed'} | {fmt(med(acc))} | {fmt(med(accs))} | {fmt(med(dlv))} | "
          f"{fmt(med(p50u))} | {fmt(med(p99u))} | {fmt(med(p99a))} | {fmt(med(cores),1)} | {fmt(med(cpu),3)} | "
          f"{fmt(med(rss))} | {max(bad)} |")
EOF
}

if [ "${1:-}" = "--table" ]; then
  table "$2"
  exit 0
fi
configs=${1:?usage: RUNS=3 OUT=DIR src/bench/sweep.sh CONFIGS_FILE}
runs=${RUNS:-3}
out=${OUT:-$(mktemp -d /tmp/sweep-XXXX)}
flags=${BENCH_MVN_FLAGS:--o}
mkdir -p "$out"
# shellcheck disable=SC2086
mvn -B -q $flags -Pbench test-compile >&2
while IFS= read -r line || [ -n "$line" ]; do
  line=${line%%#*}
  [ -z "${line//[[:space:]]/}" ] && continue
  label=$(echo "${line%%[|	]*}" | xargs)
  opts=$(echo "${line#*[|	]}" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
  grep -qx "$label" "$out/order.txt" 2>/dev/null || echo "$label" >> "$out/order.txt"
  for i in $(seq 1 "$runs"); do
    work="$out/work/$label-$i-$(date +%s)"
    echo "sweep: $label run $i/$runs: delivery $opts" >&2
    # shellcheck disable=SC2086
    mvn -B -q $flags -Pbench exec:exec -Dbench.args="delivery $opts --seed $i --work $work \
        --result $out/$label.jsonl" < /dev/null > /dev/null 2> "$out/$label-$i.log" || echo "sweep: $label run $i failed" >&2
    rm -rf "$work"
  done
done < "$configs"
table "$out"
