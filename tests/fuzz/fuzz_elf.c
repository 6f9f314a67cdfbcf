/*
 * libFuzzer target for the builder's kernel ELF parser (builder/elf.c):
 * the input is a kernel file. If it parses, the fit check runs and the
 * image is loaded into a RAM buffer of the size the fit check accepted,
 * so a parser that let a bad offset or size through shows up as an
 * ASan report. Built by dom0-tools/toolstack.mk as $(O)/fuzz/fuzz_elf.
 */
#include <stdint.h>
#include <stdlib.h>

#include <pvx/builder.h>

#define RAM_BYTES (8u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvx_elf_image img;
	char err[300];
	uint8_t *ram;

	if (pvx_elf_parse(data, size, &img, err, sizeof(err)) < 0)
		return 0;
	if (img.types == 0)
		abort(); /* accepted without any entry */
	if (pvx_elf_check_fit(&img, RAM_BYTES, err, sizeof(err)) < 0)
		return 0;
	ram = malloc(RAM_BYTES);
	if (ram) {
		pvx_elf_load(&img, data, ram, -1);
		free(ram);
	}
	return 0;
}
