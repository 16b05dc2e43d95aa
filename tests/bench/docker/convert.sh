#!/bin/bash
# convert.sh default.json > docker.policy — Docker's seccomp profile (moby's
# profiles/seccomp/default.json) in appuser-policy(5), as Docker applies it to
# a container started with its default capabilities on x86_64 (with x32 and
# i386): rules whose includes/excludes do not apply are left out.  For the
# benchmarks only (tests/bench/seccomp.sh); not a profile appuser ships.
set -eu
jq -r '
  ["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW",
   "CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE",
   "CAP_SYS_CHROOT","CAP_KILL","CAP_AUDIT_WRITE"] as $caps
  | ["amd64","x86","x32"] as $arches
  | def applies:
      ((.includes.caps // []) - $caps | length == 0)
      and ((.includes.arches // $arches) | map(select(. as $a | $arches | index($a))) | length > 0)
      and ((.excludes.caps // []) | map(select(. as $c | $caps | index($c))) | length == 0)
      and ((.excludes.arches // []) | map(select(. as $a | $arches | index($a))) | length == 0);
    def action: if .action == "SCMP_ACT_ALLOW" then "allow"
      elif .action == "SCMP_ACT_ERRNO" then "errno \(.errnoRet // 1)" else error("action \(.action)") end;
    [.syscalls[] | select(applies) | . as $r | .names[] | {name: ., rule: $r}]
    | group_by(.name)[]
    | .[0].name as $n | map(.rule) as $rs
    | if ($rs | map(select((.args // []) | length == 0)) | length) > 0 then
        "?\($n) \($rs | map(select((.args // []) | length == 0))[0] | action)"
      else
        ($rs | map(.args[]) ) as $a
        | if ($a | all(.op == "SCMP_CMP_EQ")) and ($a | map(.index) | unique | length == 1) then
            "?\($n) arg\($a[0].index) in { \($a | map(.value | tostring) | join(", ")) } \($rs[0] | action)"
          elif ($a | length == 1) and $a[0].op == "SCMP_CMP_MASKED_EQ" then
            "?\($n) arg\($a[0].index) & \($a[0].value) == \($a[0].valueTwo // 0) \($rs[0] | action)"
          elif ($a | map(.op) | sort) == ["SCMP_CMP_EQ","SCMP_CMP_GT","SCMP_CMP_LT"] then
            # LT lo, EQ mid..., GT hi: everything but [lo, hi] minus the EQ values
            ($a | map(select(.op == "SCMP_CMP_LT"))[0].value) as $lo
            | ($a | map(select(.op == "SCMP_CMP_GT"))[0].value) as $hi
            | ($a | map(select(.op == "SCMP_CMP_EQ") | .value)) as $eq
            | "?\($n) arg\($a[0].index) not in { \([range($lo; $hi + 1)] - $eq | map(tostring) | join(", ")) } \($rs[0] | action)"
          else error("cannot convert the rules of \($n)") end
      end
' "$1" | sed '1i # Docker default profile (moby/profiles seccomp, converted by tests/bench/docker/convert.sh)\n@default errno EPERM'
