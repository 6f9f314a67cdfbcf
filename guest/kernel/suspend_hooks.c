/*
 * The registry of suspend hooks (minios/suspend.h): frontends and
 * programs register what must stop before SCHEDOP_shutdown(suspend) and
 * start again after it. Pure bookkeeping, no hypercall: the host unit
 * test (tests/unit/minios-suspend) links this file alone.
 *
 * Order: quiesce in registration order (a frontend registered before the
 * program that uses it stops first... and a program that depends on a
 * device registers after opening it), resume in reverse, so a program's
 * hook runs once its devices are back.
 */
#include <stddef.h>
#include <stdint.h>

#include <minios/suspend.h>

static struct suspend_hook *head;   /* most recent first */

void suspend_register(struct suspend_hook *h)
{
	if (h->registered)
		return;
	h->next = head;
	head = h;
	h->registered = 1;
}

void suspend_unregister(struct suspend_hook *h)
{
	struct suspend_hook **p;

	if (!h->registered)
		return;
	for (p = &head; *p; p = &(*p)->next)
		if (*p == h) {
			*p = h->next;
			break;
		}
	h->registered = 0;
	h->next = NULL;
}

unsigned suspend_hooks_count(void)
{
	unsigned n = 0;

	for (struct suspend_hook *h = head; h; h = h->next)
		n++;
	return n;
}

/* Oldest first: walks the list (most recent first) from its end. */
static int quiesce_from(struct suspend_hook *h, uint64_t deadline_ns)
{
	int left, r;

	if (!h)
		return 0;
	left = quiesce_from(h->next, deadline_ns);
	if (!h->quiesce)
		return left;
	r = h->quiesce(h, deadline_ns);
	return left + (r > 0 ? r : 0);
}

int suspend_hooks_quiesce(uint64_t deadline_ns)
{
	return quiesce_from(head, deadline_ns);
}

void suspend_hooks_resume(int new_domain)
{
	struct suspend_hook *h, *next;

	for (h = head; h; h = next) {
		next = h->next; /* a hook may unregister itself */
		if (h->resume)
			h->resume(h, new_domain);
	}
}
