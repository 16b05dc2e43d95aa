#!/bin/bash
# "Once per container" (issue 11 §3).  Three ways around it worked:
# (a) only a setuid-mode setup wrote the marker, so after the entrypoint's
#     root-mode setup any in-range uid could renumber the application user
#     to itself and take its home and /app;
# (b) /run itself was not checked: with /run writable by others (a
#     Kubernetes emptyDir is 0777) a caller renamed /run/appuser away and
#     ran setup again — in a --user container that chowned the host's
#     bind-mounted checkout to the second caller;
# (c) the marker was checked before the locks were taken, so two setups
#     started together both passed and both changed the accounts.
. "$(dirname "$0")/../../lib/tap.sh"
. "$(dirname "$0")/../../lib/sandbox.sh"
. "$(dirname "$0")/../../lib/setup.sh"
. "$(dirname "$0")/../../lib/wait.sh"
sandbox_enter "$@"

CONF='allow_setuid = yes
user = application
paths = /app
uid_range = 1000-60000'
# A root with the setuid binary, /app the "host's checkout" owned by 1000.
kit() {
	local r
	r=$(mkroot "$TESTS/fixtures/webdevops")
	install_appuser "$r" 4755
	printf '%s\n' "$CONF" >"$r/etc/appuser.conf"; chmod 0644 "$r/etc/appuser.conf"
	mkdir -p "$r/app/src" "$r/home/application"; echo code >"$r/app/src/main.c"
	chown -R 1000:1000 "$r/app" "$r/home/application"
	echo "$r"
}
app_uid() { grep '^application:' "$1/etc/passwd" | cut -d: -f3; }
owner() { stat -c %u "$1"; }

# --- (a) after a root-mode setup ------------------------------------------------
R=$(kit)
status_is 0 "(a) the entrypoint's root-mode setup runs" setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000
like "$(cat "$R/run/appuser/setup.done" 2>&1)" "mode=root" "(a) a root-mode setup records itself too"
out=$(setup_as "$R" 1001 1001 2>&1); rc=$?
is "$rc" 125 "(a) a later setuid setup by another in-range uid is refused"
like "$out" "already ran in this container" "(a) …and says why"
is "$(app_uid "$R"):$(owner "$R/app/src/main.c"):$(owner "$R/home/application")" "1000:1000:1000" \
	"(a) the application user, /app and its home are untouched"
status_is 0 "(a) the same root-mode setup again is still fine (a restart)" \
	setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000

# A marker made by another instance (a `RUN appuser setup` while the image
# was built, a container before a restart) is not this container's.
R=$(kit)
setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 >/dev/null 2>&1
sed -i 's/instance=[^ ]*/instance=0-build/' "$R/run/appuser/setup.done"
status_is 0 "a marker from another instance (an image build) does not count here" setup_as "$R" 1001 1001
is "$(app_uid "$R")" 1001 "…the first setup of this container maps the user"
like "$(cat "$R/run/appuser/setup.done")" "mode=setuid ruid=1001" "…and records itself"
status_is 125 "…after which the once-rule holds again" setup_as "$R" 1002 1002

# A run killed after claiming the marker (under the locks, before the files
# changed) leaves it "claimed": only a run with that very outcome — the same
# caller again — may finish the job.
R=$(kit)
setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 >/dev/null 2>&1
sed -i 's/state=done/state=claimed/; s/ mode=root ruid=0 / mode=setuid ruid=1001 /; s/ uid=1000 gid=1000 / uid=1001 gid=1001 /' \
	"$R/run/appuser/setup.done"
status_is 125 "a claimed, unfinished first setup of uid 1001: uid 1002 is refused" setup_as "$R" 1002 1002
status_is 0 "…uid 1001 finishes it" setup_as "$R" 1001 1001
is "$(app_uid "$R"):$(owner "$R/app/src/main.c")" "1001:1001" "…with the outcome it claimed"
like "$(cat "$R/run/appuser/setup.done")" "state=done" "…and the marker says done"

# --- (b) /run writable by others ------------------------------------------------
R=$(kit)
status_is 0 "(b) the --user container's own setup (uid 1001)" setup_as "$R" 1001 1001
chmod 0777 "$R/run"	# an emptyDir
asuser "$R" 1002 1002 mv /run/appuser /run/gone 2>/dev/null
out=$(setup_as "$R" 1002 1002 2>&1); rc=$?
is "$rc" 125 "(b) /run 0777, /run/appuser renamed away: a second setuid setup is refused"
like "$out" "/run is writable by .*others" "(b) …naming the unsafe folder"
is "$(app_uid "$R"):$(owner "$R/app/src/main.c")" "1001:1001" "(b) the user and the checkout stay the first caller's"
for m in 0775 1777; do
	R=$(kit); chmod $m "$R/run"
	status_is 125 "(b) /run mode $m: even a first setuid setup is refused" setup_as "$R" 1001 1001
done
R=$(kit); chown 1001 "$R/run"
status_is 125 "(b) /run owned by a user: refused" setup_as "$R" 1001 1001
R=$(kit); chmod 0777 "$R"
status_is 125 "(b) / writable by others: refused" setup_as "$R" 1001 1001
R=$(kit); chmod 0777 "$R/run"
out=$(setup_with "$R" APPLICATION_UID=1000 APPLICATION_GID=1000 2>&1); rc=$?
is "$rc" 0 "(b) root mode under an unsafe /run still sets up"
like "$out" "cannot record .*setup ran.*/run" "(b) …and says once that it could not record it"

# --- (c) two setups at once ------------------------------------------------------
# Hold the account locks with a live process, start two setuid setups (uids
# 1001 and 1002), wait until both are waiting for the locks, release.
R=$(kit)
sleep 300 & holder=$!
printf '%s\0' "$holder" >"$R/etc/passwd.lock"
setup_as "$R" 1001 1001 >"$R/tmp/c1.out" 2>&1 & p1=$!
setup_as "$R" 1002 1002 >"$R/tmp/c2.out" 2>&1 & p2=$!
# Both have /etc/.pwd.lock open: one holds it and waits for passwd.lock,
# the other waits for it (lckpwdf's order).
waiting() {
	local p n=0
	for p in /proc/[0-9]*; do
		ls -l "$p/fd" 2>/dev/null | grep -q -- "$R/etc/.pwd.lock" && n=$((n + 1))
	done
	echo $n
}
for i in $(seq 1 200); do [ "$(waiting)" = 2 ] && break; sleep 0.05; done
is "$(waiting)" 2 "(c) (both setups passed their first check and wait for the locks)"
rm -f "$R/etc/passwd.lock"; kill $holder; wait $holder 2>/dev/null
wait_pid $p1 60; r1=$?
wait_pid $p2 60; r2=$?
is "$(printf '%s\n' $r1 $r2 | sort | tr '\n' ' ')" "0 125 " "(c) of two setups started together exactly one changes the accounts"
like "$(cat "$R/tmp/c1.out" "$R/tmp/c2.out")" "already ran in this container" "(c) the other is refused under the locks"
u=$(app_uid "$R")
is "$(owner "$R/app/src/main.c"):$(owner "$R/home/application")" "$u:$u" "(c) /app and the home follow the one that won"
check_clean "$R" "(c)"

done_testing
