# libpvxbackd: what the backend daemons (pvx-blkback, pvx-netback) share
# around their devices (pv-drivers/include/pvx/backd.h): the links to pvxd
# and pvxstored, kept across their restarts, and the device table.

BACKD_SRCS := $(sort $(wildcard pv-drivers/common/*.c))
$(eval $(call host_lib,pvxbackd,$(BACKD_SRCS)))
