# Moving domains between hosts and files (this fragment's part):
# the migration transport's unit tests, and the migrate-*/export-*
# integration tests. The code itself is in dom0-tools/pvx/ (migrate*.c,
# bundle*.c, cmd_migrate*.c, cmd_export.c, cmd_import.c) and links into
# pvx through toolstack.mk. Named to sort after toolstack.mk, whose
# PVX_CLI_OBJS it uses.

UNIT_MIGRATE_SRCS := tests/unit/migrate/test_migrate.c
UNIT_MIGRATE_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(UNIT_MIGRATE_SRCS))

$(O)/tests/unit-migrate: $(UNIT_MIGRATE_OBJS) $(PVX_CLI_OBJS) $(PVX_LIBS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $(UNIT_MIGRATE_OBJS) $(PVX_CLI_OBJS) \
		$(PVX_LIBS) $(LIBEVENT_LIBS) $(JANSSON_LIBS) $(CRYPTO_LIBS) $(BUNDLE_LIBS) $(CHECK_LIBS) -lpthread

UNIT_TESTS += $(O)/tests/unit-migrate

INTEG_TESTS += $(sort $(filter-out %.sh,$(wildcard tests/integration/migrate-* tests/integration/export-*)))
