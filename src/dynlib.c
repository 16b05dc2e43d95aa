/* dynlib.c — see dynlib.h. */
#include "dynlib.h"

#ifndef APPUSER_STATIC
#include <dlfcn.h>
#include <stdio.h>

int dynlib_load(struct dynlib *l)
{
	void *h;

	if (l->state)
		return l->state > 0 ? 0 : -1;
	l->state = -1;
	/* RTLD_LOCAL: its symbols stay out of the global scope; RTLD_NOW:
	 * a broken library fails here, not in the middle of a call. */
	h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(l->err, sizeof l->err, "%s", dlerror());
		return -1;
	}
	for (size_t i = 0; l->names[i]; i++) {
		l->syms[i] = dlsym(h, l->names[i]);
		if (!l->syms[i]) {
			snprintf(l->err, sizeof l->err, "%s: no symbol %s", l->soname, l->names[i]);
			dlclose(h);
			return -1;
		}
	}
	l->state = 1;
	return 0;
}
#endif
