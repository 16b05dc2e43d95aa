# syslog.sh — a throwaway syslog for a test root: a datagram socket at
# ROOT/dev/log that collects every record until syslog_stop.  Needs perl
# and sandbox.sh (wait.sh); it gives up after two minutes.
#   syslog_start ROOT; ...; syslog_stop ROOT   # records in ROOT/dev/log.out
syslog_start() {
	local r=$1
	rm -f "$r/dev/log" "$r/dev/log.ready" "$r/dev/log.done" "$r/dev/log.out"
	perl -e '
		use Socket; my $p = shift; unlink $p; alarm 120;
		socket(my $s, PF_UNIX, SOCK_DGRAM, 0) or die; bind($s, pack_sockaddr_un($p)) or die;
		chmod 0666, $p; open(my $r, ">", "$p.ready"); close $r;
		select(undef, undef, undef, 0.02) until -e "$p.done";
		open(my $o, ">", "$p.out"); my $buf;
		while (defined(recv($s, $buf, 4096, MSG_DONTWAIT)) && length $buf) { print $o "$buf\n"; }
		close $o; unlink $p;' "$r/dev/log" &
	SYSLOG_PID=$!
	wait_file "$r/dev/log.ready" 10
}
syslog_stop() {
	touch "$1/dev/log.done"
	wait_pid "$SYSLOG_PID" 30
}
