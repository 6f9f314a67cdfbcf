# CPU scheduling (docs/scheduling.md): the cgroup logic is part of pvxd
# (hypervisor/domain/cgroup.c, dsched.c) and of unit-pvxd; the
# integration tests sched-* run CPU-bound minios guests.
INTEG_TESTS += $(sort $(filter-out %.sh,$(wildcard tests/integration/sched-*)))
