# Sourced by test.sh: run a command with the machine's wall clock moved, as a centre PC's
# would be on another day, so nothing in the program or its tests may depend on today.
#
#   with_moved_clock '2029-06-30 23:30:00' python -m pytest ...   # centre time (UTC+8)
#
# Debian's faketime moves the wall clock of the command and of every process it starts (the
# desk, `frontdesk` subprocesses, SQLite's own clock); children go on from the parent's moved
# time (FAKETIME_DONT_RESET). The monotonic clock (timeouts, timers) is left alone, with
# scripts/faketime/monotonic_sleep.c working around libfaketime 0.9.10's sleeps on it.
# The machine's own time zone is UTC, unlike the centre's: the program must not confuse the two.
# A PostgreSQL server started outside keeps the real clock (the program must store the
# times it computed, never the server's now()).

ensure_moved_clock() {
  apt_install faketime gcc libc6-dev
  MOVED_CLOCK_FIX="$ROOT/build/faketime/monotonic_sleep.so"
  local source="$ROOT/scripts/faketime/monotonic_sleep.c"
  if [ ! -f "$MOVED_CLOCK_FIX" ] || [ "$source" -nt "$MOVED_CLOCK_FIX" ]; then
    mkdir -p "$(dirname "$MOVED_CLOCK_FIX")"
    gcc -O2 -Wall -Werror -shared -fPIC -o "$MOVED_CLOCK_FIX" "$source" -ldl
  fi
}

with_moved_clock() {
  # with_moved_clock 'YYYY-MM-DD HH:MM:SS' COMMAND...: the moment is in centre time
  # (Asia/Shanghai, UTC+8, no daylight saving); the clock ticks on from there.
  local centre_time="$1"
  shift
  ensure_moved_clock
  local utc
  utc="$(date -u -d "$centre_time +0800" '+%Y-%m-%d %H:%M:%S')"
  TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_DONT_RESET=1 \
    LD_PRELOAD="$MOVED_CLOCK_FIX${LD_PRELOAD:+:$LD_PRELOAD}" \
    faketime -f "@$utc" "$@"
}
