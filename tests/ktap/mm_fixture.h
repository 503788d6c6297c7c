/* mm_fixture.h: a process address space for a KTAP case, freed (mmput) when the case ends, on every path. */
#ifndef PAGODA_TESTS_MM_FIXTURE_H
#define PAGODA_TESTS_MM_FIXTURE_H

#include <kernel/kunit.h>
#include <mm/mm_struct.h>

static inline void mm_fixture_put(void *mm)
{
	mmput(mm);
}

/*
 * kunit_mm_track: mm (NULL passes through) is put when the case ends; mm, or
 * NULL if the cleanup could not be registered (mm is freed then).
 */
static inline struct mm_struct *kunit_mm_track(struct kunit *test, struct mm_struct *mm)
{
	if (mm && kunit_add_action(test, mm_fixture_put, mm)) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

#endif
