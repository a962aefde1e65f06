#!/usr/bin/env bash
# Installs (from Debian's archive) and starts a single-host Grid Engine, idempotently: run it as root on a
# Debian machine without systemd. Each step says why it is needed. After it,
# `qsub`, `qstat` and `qdel` work for root with a 1 s scheduling interval, a queue `all.q` (4 slots) and a
# parallel environment `smp`.
#
#   sudo scripts/start-sge.sh          # prints "== Grid Engine: ready (...)" or one line saying why not
set -euo pipefail

export SGE_ROOT=/var/lib/gridengine SGE_CELL=default
host=$(hostname)
common=$SGE_ROOT/$SGE_CELL/common

fail() { echo "== Grid Engine: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "not started: run as root (it installs packages and starts daemons)"

# 1. Packages, preseeded so that the postinst initialises the cell without asking.
if ! command -v sge_qmaster >/dev/null 2>&1 && [ ! -x /usr/sbin/sge_qmaster ]; then
  command -v apt-get >/dev/null || fail "not installed and no apt-get to install it"
  for p in gridengine-common gridengine-client gridengine-master gridengine-exec; do
    printf '%s shared/gridengineconfig boolean true\n%s shared/gridenginecell string default\n%s shared/gridenginemaster string %s\n' \
      "$p" "$p" "$p" "$host" | debconf-set-selections
  done
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends gridengine-master gridengine-exec gridengine-client >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends gridengine-master gridengine-exec gridengine-client >/dev/null; } \
    || fail "apt-get could not install gridengine-master/-exec/-client"
fi
[ -d "$common" ] || fail "no cell at $common after install (debconf preseed not applied?)"

# 2. The hostname resolves to 127.0.0.1, which reverse-resolves to localhost: alias them for commlib.
if ! grep -qs "^$host localhost\$" "$common/host_aliases"; then
  echo "$host localhost" >> "$common/host_aliases"
  chown sgeadmin:sgeadmin "$common/host_aliases" 2>/dev/null || true
fi
echo "$host" > "$common/act_qmaster"

# 3. The master (it daemonises and drops to sgeadmin); wait until it answers.
if ! qconf -sh >/dev/null 2>&1; then
  /usr/sbin/sge_qmaster
  for _ in $(seq 1 60); do qconf -sh >/dev/null 2>&1 && break; sleep 0.5; done
  qconf -sh >/dev/null 2>&1 || fail "sge_qmaster started but qconf -sh does not answer"
fi

# 4. Configuration, before the execution daemon starts (it caches it). Every step checks first.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
qconf -ss 2>/dev/null | grep -qx "$host" || qconf -as "$host" >/dev/null

# min_uid/min_gid 0: root may run jobs. load_report_time 2 s: a task that exits 99 (requeue) cannot run
# again "until clean up of a previous run has finished", which the execution daemon reports with its
# load report: every 40 s by default, so each requeue stalled the whole array job for up to 40 s.
if qconf -sconf global | grep -Eq '^min_uid +[1-9]' || ! qconf -sconf global | grep -Eq '^load_report_time +00:00:02$'; then
  # -Mconf takes the config's name from the file's name: it must be called `global`.
  qconf -sconf global | sed -E 's/^min_uid .*/min_uid                      0/; s/^min_gid .*/min_gid                      0/; s/^load_report_time .*/load_report_time             00:00:02/' > "$tmp/global"
  qconf -Mconf "$tmp/global" >/dev/null
  # A running execution daemon keeps the configuration it started with: restart it (step 5 starts it).
  if pgrep -x sge_execd >/dev/null; then pkill -x sge_execd; for _ in $(seq 1 20); do pgrep -x sge_execd >/dev/null || break; sleep 0.25; done; fi
fi

if ! qconf -ssconf | grep -Eq '^schedule_interval +0:0:1$'; then
  qconf -ssconf | sed -E 's/^schedule_interval .*/schedule_interval                 0:0:1/; s/^flush_submit_sec .*/flush_submit_sec                  1/; s/^flush_finish_sec .*/flush_finish_sec                  1/' > "$tmp/sched"
  qconf -Msconf "$tmp/sched" >/dev/null
fi

if ! qconf -spl 2>/dev/null | grep -qx smp; then
  cat > "$tmp/smp" <<'EOF'
pe_name            smp
slots              9999
user_lists         NONE
xuser_lists        NONE
start_proc_args    NONE
stop_proc_args     NONE
allocation_rule    $pe_slots
control_slaves     FALSE
job_is_first_task  TRUE
urgency_slots      min
accounting_summary FALSE
qsort_args         NONE
EOF
  qconf -Ap "$tmp/smp" >/dev/null
fi

if ! qconf -shgrpl 2>/dev/null | grep -qx '@allhosts'; then
  printf 'group_name @allhosts\nhostlist %s\n' "$host" > "$tmp/allhosts"
  qconf -Ahgrp "$tmp/allhosts" >/dev/null
fi

if ! qconf -sql 2>/dev/null | grep -qx all.q; then
  cat > "$tmp/all.q" <<'EOF'
qname                 all.q
hostlist              @allhosts
seq_no                0
load_thresholds       NONE
suspend_thresholds    NONE
nsuspend              1
suspend_interval      00:05:00
priority              0
min_cpu_interval      00:05:00
processors            UNDEFINED
qtype                 BATCH INTERACTIVE
ckpt_list             NONE
pe_list               smp
rerun                 FALSE
slots                 4
tmpdir                /tmp
shell                 /bin/sh
prolog                NONE
epilog                NONE
shell_start_mode      unix_behavior
starter_method        NONE
suspend_method        NONE
resume_method         NONE
terminate_method      NONE
notify                00:00:10
owner_list            NONE
user_lists            NONE
xuser_lists           NONE
subordinate_list      NONE
complex_values        NONE
projects              NONE
xprojects             NONE
calendar              NONE
initial_state         default
s_rt                  INFINITY
h_rt                  INFINITY
s_cpu                 INFINITY
h_cpu                 INFINITY
s_fsize               INFINITY
h_fsize               INFINITY
s_data                INFINITY
h_data                INFINITY
s_stack               INFINITY
h_stack               INFINITY
s_core                INFINITY
h_core                INFINITY
s_rss                 INFINITY
h_rss                 INFINITY
s_vmem                INFINITY
h_vmem                INFINITY
EOF
  qconf -Aq "$tmp/all.q" >/dev/null
fi

# 5. The execution daemon registers this host; clear any stale error state of the queue.
if ! pgrep -x sge_execd >/dev/null; then
  /usr/sbin/sge_execd
fi
for _ in $(seq 1 60); do
  qstat -f -q all.q 2>/dev/null | grep -q "all.q@" && break
  sleep 0.5
done
qmod -cq all.q >/dev/null 2>&1 || true
qstat -f -q all.q 2>/dev/null | grep -q "all.q@" || fail "sge_execd started but all.q has no host"
echo "== Grid Engine: ready (SGE_ROOT=$SGE_ROOT, cell $SGE_CELL, host $host, queue all.q, pe smp)"
