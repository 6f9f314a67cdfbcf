# Pattern rules shared by every fragment.
#   $(O)/obj/PATH.o   host object from PATH.c
#   $(GO)/gobj/PATH.o guest (freestanding) object from PATH.c or PATH.asm
# Dependencies on headers come from -MMD files.

$(O)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c -o $@ $<

$(GO)/gobj/%.o: %.c
	@mkdir -p $(@D)
	$(HOST_CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<

$(GO)/gobj/%.o: %.asm
	@mkdir -p $(@D)
	$(NASM) -f elf64 -g -Iguest/ -I$(GO)/gen/ -MD $(@:.o=.d) -o $@ $<

# A static library from a list of host objects: $(call host_lib,NAME,SRCS)
# defines $(O)/lib/libNAME.a.
define host_lib
$(O)/lib/lib$(1).a: $(patsubst %.c,$(O)/obj/%.o,$(2))
	@mkdir -p $$(@D)
	rm -f $$@ && ar rcs $$@ $$^
endef

-include $(shell find $(O)/obj $(GO)/gobj -name '*.d' 2>/dev/null)
