# dom0-tools/json.mk: libpvxjson, the helpers every JSON writer uses on top
# of jansson (pvx/json.h, docs/decisions.md P22), and unit-json. Whatever
# links libpvxjson.a also links $(JANSSON_LIBS).
JANSSON_LIBS := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson) -lm
PVXJSON_SRCS := $(sort $(wildcard dom0-tools/json/*.c))
$(eval $(call host_lib,pvxjson,$(PVXJSON_SRCS)))
PROGRAMS += $(O)/lib/libpvxjson.a

UNIT_JSON_OBJS := $(patsubst %.c,$(O)/obj/%.o,$(sort $(wildcard tests/unit/json/*.c)))
$(O)/tests/unit-json: $(UNIT_JSON_OBJS) $(O)/lib/libpvxjson.a
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(JANSSON_LIBS) $(CHECK_LIBS)
UNIT_TESTS += $(O)/tests/unit-json
