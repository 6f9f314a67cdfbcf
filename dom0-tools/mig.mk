# dom0-tools/mig.mk: libpvxmig, the migration stream codec (pvx/migstream.h,
# docs/migration.md): writer and checking reader, SHA-256 from OpenSSL's
# libcrypto. Whatever links libpvxmig.a also links $(CRYPTO_LIBS).
# unit-mig tests every malformed case; fuzz_migstream fuzzes the reader.
CRYPTO_LIBS := $(shell pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)
PVXMIG_SRCS := $(sort $(wildcard dom0-tools/mig/*.c))
$(eval $(call host_lib,pvxmig,$(PVXMIG_SRCS)))
PROGRAMS += $(O)/lib/libpvxmig.a

UNIT_MIG_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard tests/unit/mig/*.c)))
$(O)/tests/unit-mig: $(UNIT_MIG_OBJS) $(O)/lib/libpvxmig.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(CRYPTO_LIBS) $(CHECK_LIBS)
UNIT_TESTS += $(O)/tests/unit-mig

# Save/restore and snapshots, run on every guest type (docs/migration.md).
INTEG_TESTS += $(sort $(filter-out %.sh,$(wildcard tests/integration/save-*)))
