/* rx suite placeholder */
#include "harness.h"
Suite *make_rx_suite(void) { return suite_create("rx"); }
