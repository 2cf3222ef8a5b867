#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Draws the demo's graphs from the RRD files collectd's rrdtool plugin wrote
# for probewise.so (one directory probewise-<endpoint> per endpoint):
#
#   scripts/demo_graphs.sh RRD_HOST_DIR OUT_DIR START END INTERVAL [MARK_TIME MARK_TEXT]
#
#   response-time.png  response_time per endpoint (seconds, logarithmic)
#   state.png          gauge-state per endpoint (0 OK, 1 WARNING, 2 CRITICAL,
#                      3 UNKNOWN), each endpoint a little apart so that
#                      endpoints in the same state stay visible
#
# rrdtool files an update under the step that ends with it; the graphs shift
# the data by INTERVAL (collectd's) so that a value shows from the time it was
# measured. An RRD step that holds a change averages the two states on either
# side; the state graph rounds that back to the nearer state.
#
# MARK_TIME (epoch seconds) and MARK_TEXT draw a vertical line, e.g. where the
# demo turned an endpoint from 200 to 401.
set -euo pipefail
[ $# -ge 5 ] || { echo "usage: $0 RRD_HOST_DIR OUT_DIR START END INTERVAL [MARK_TIME MARK_TEXT]" >&2; exit 2; }
rrd_dir=$1 out=$2 start=$3 end=$4 interval=$5 mark=${6:-} mark_text=${7:-}
mkdir -p "$out"

colors=(1f77b4 d62728 2ca02c ff7f0e 9467bd 8c564b e377c2 17becf)
endpoints=()
for d in "$rrd_dir"/probewise-*; do
  [ -d "$d" ] && endpoints+=("${d##*/probewise-}")
done
[ ${#endpoints[@]} -gt 0 ] || { echo "demo_graphs.sh: no probewise-* directories in $rrd_dir" >&2; exit 1; }

common=(--start "$start" --end "$end" --width 720 --height 220 --imgformat PNG
  --color BACK#ffffff --color CANVAS#ffffff --color SHADEA#ffffff --color SHADEB#ffffff
  --font DEFAULT:9:)
marker=()
if [ -n "$mark" ]; then
  marker=("COMMENT:\\n" "VRULE:$mark#000000:${mark_text//:/\\:}\\l")
fi

# graph FILE TITLE LABEL EXTRA_OPTIONS... -- RRD_FILE CDEF_TEMPLATE
# The CDEF template turns v@ (the value) and @ (the endpoint's index) into what is drawn.
graph() {
  local file=$1 title=$2 label=$3
  shift 3
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  local rrd=$2 cdef=$3
  local defs=() i=0
  for e in "${endpoints[@]}"; do
    local f="$rrd_dir/probewise-$e/$rrd.rrd"
    if [ -f "$f" ]; then
      defs+=("DEF:v$i=$f:value:AVERAGE" "SHIFT:v$i:$interval" "CDEF:d$i=${cdef//@/$i}"
        "LINE2:d$i#${colors[i % ${#colors[@]}]}:$e")
    fi
    i=$((i + 1))
  done
  rrdtool graph "$out/$file" "${common[@]}" --title "$title" --vertical-label "$label" "${opts[@]}" \
    "${defs[@]}" "${marker[@]}" >/dev/null
}

graph response-time.png "probewise: response time per endpoint" seconds \
  --logarithmic --units=si -- response_time "v@"
# Endpoint i is drawn 0.06 * i above its state, so that lines in the same state do not hide each other.
graph state.png "state per endpoint: 0 OK, 1 WARNING, 2 CRITICAL (lines 0.06 apart)" state \
  --lower-limit -0.2 --upper-limit 3 --rigid --y-grid 1:1 -- gauge-state "v@,0.5,+,FLOOR,0.06,@,*,+"
