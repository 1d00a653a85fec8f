# SPDX-License-Identifier: MIT
# Issue 12 part 4: the programs behave like Unix tools.  --help on stdout
# and exit 0, --version as "NAME (cmwq) VERSION", a bad number or option
# named on stderr with exit 2; cmwq-top waits for a process that has not
# published yet (the README's watch command works as written) and says at
# once when there is no process; cmwq-dump -w NAME that matches nothing and
# cmwq-top -f REGEX that matches nothing exit 1.
#
# usage: observe_cli.sh CMWQ_TOP CMWQ_DUMP CMWQ_DEMO SIMRUPT VERSION
set -u
top=$1 dump=$2 demo=$3 simrupt=$4 version=$5
tmp=$(mktemp -d) || exit 1
failed=0
demo_pid=

cleanup() {
	[ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	failed=1
}

# expect STATUS PATTERN-ON-STDERR-OR-'-' COMMAND...
expect() {
	want=$1 pat=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ]; then
		fail "$* exited $got, not $want"
		cat "$tmp/err" >&2
	elif [ "$pat" != - ] && ! grep -q -- "$pat" "$tmp/err"; then
		fail "$*: stderr lacks '$pat':"
		cat "$tmp/err" >&2
	fi
}

for p in "$top:cmwq-top" "$dump:cmwq-dump" "$demo:cmwq-demo" \
	"$simrupt:simrupt"; do
	path=${p%%:*} name=${p##*:}
	expect 0 - "$path" --help
	grep -q '^usage: ' "$tmp/out" || fail "$name --help: no usage on stdout"
	[ -s "$tmp/err" ] && fail "$name --help wrote on stderr"
	expect 0 - "$path" --version
	[ "$(cat "$tmp/out")" = "$name (cmwq) $version" ] ||
		fail "$name --version printed '$(cat "$tmp/out")'"
	expect 2 "Try '$name --help'" "$path" --no-such-option
	[ -s "$tmp/out" ] && fail "$name: usage error wrote on stdout"
done

# Strict numbers: each names the option and the text.
for bad in abc 12abc -5 '' 0 99999999999999999999999 1e3 inf nan 0x10; do
	expect 2 "cmwq-top: -i: '$bad' is" "$top" -i "$bad" -1 1
done
expect 2 "cmwq-top: -i: 'abc' is not a number of seconds" "$top" -i abc
for bad in abc 12abc -5 '' 0 99999999999999999999999; do
	expect 2 "cmwq-top: -n: '$bad' is" "$top" -n "$bad" 1
done
for bad in abc 12abc -5 '' 0 99999999999999999999999; do
	expect 2 "cmwq-top: PID: '$bad' is" "$top" -1 -- "$bad"
	expect 2 "cmwq-dump: PID: '$bad' is" "$dump" -- "$bad"
done
expect 2 "one PID at most" "$top" -1 1 2
for bad in abc 12abc -5 '' 99999999999999999999999 1.5; do
	expect 2 "cmwq-demo: --seconds: '$bad' is" "$demo" --seconds "$bad"
done
for opt in -r -d -n -N -F -c; do
	for bad in abc 12abc -5 '' 99999999999999999999999; do
		expect 2 "simrupt: $opt: '$bad' is" "$simrupt" "$opt" "$bad"
	done
done
expect 2 "simrupt: -r: '0' is out of range" "$simrupt" -r 0
expect 2 "simrupt: -F: '1000' is not a power of two" "$simrupt" -F 1000
expect 2 "simrupt: -w: 'foo'" "$simrupt" -w foo
expect 2 "cmwq-top: -f: '(' is not a regular expression" "$top" -f '(' 1

# No such process: said at once, exit 1.
sh -c 'exit 0' &
gone=$!
wait $gone
expect 1 "no process $gone" "$top" -1 "$gone"
expect 1 "no process $gone" "$dump" "$gone"

# The README's watch command, as written: cmwq-top starts before the demo
# has published and waits for it.
"$demo" --seconds 3 >"$tmp/demo" &
demo_pid=$!
"$top" -i 0.5 -n 2 "$demo_pid" >"$tmp/out" 2>"$tmp/err"
st=$?
[ "$st" = 0 ] || { fail "cmwq-top -i 0.5 -n 2 \$! exited $st"; cat "$tmp/err" >&2; }
[ "$(grep -c '^crunch ' "$tmp/out")" = 2 ] ||
	{ fail "cmwq-top: not two tables with crunch"; cat "$tmp/out" >&2; }
expect 1 "pid $demo_pid has no workqueue named 'no_such_wq'" \
	"$dump" -w no_such_wq "$demo_pid"
[ -s "$tmp/out" ] && fail "cmwq-dump -w no_such_wq printed a dump"
expect 0 - "$dump" -w crunch "$demo_pid"
grep -q '^crunch ' "$tmp/out" || fail "cmwq-dump -w crunch: no crunch line"
expect 1 "no workqueue of pid $demo_pid matches '^no_such'" \
	"$top" -1 -f '^no_such' "$demo_pid"
expect 0 - "$top" -1 -f '^crunch$' "$demo_pid"
wait "$demo_pid"
st=$?
demo_pid=
[ "$st" = 0 ] || fail "cmwq-demo --seconds 3 exited $st"
grep -q 'all checks passed' "$tmp/demo" || fail "cmwq-demo: checks failed"

exit $failed
