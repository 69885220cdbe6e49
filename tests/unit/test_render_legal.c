/* Unit tests of render_legal.c: the prefecture identifier (SPEC §4). */
#include "render_int.h"
#include "test.h"
#include "value.h"

static void test_acte_valid(void)
{
	struct value *a =
	    render_acte_parse("063-216300699-20251217-251217014-DE");

	CHECK(a != NULL);
	CHECK_STR(value_get_str(a, "departement"), "063");
	CHECK_STR(value_get_str(a, "siren"), "216300699");
	CHECK_STR(value_get_str(a, "date"), "2025-12-17");
	CHECK_STR(value_get_str(a, "numero"), "251217014");
	CHECK_STR(value_get_str(a, "nature"), "DE");
	CHECK_STR(value_get_str(a, "nature_libelle"), "délibération");
	value_free(a);
	a = render_acte_parse("02A-200097418-20240229-A_b9-CC");
	CHECK(a != NULL);
	CHECK_STR(value_get_str(a, "departement"), "02A");
	CHECK_STR(value_get_str(a, "date"), "2024-02-29");
	CHECK_STR(value_get_str(a, "nature_libelle"),
	          "contrat, convention ou avenant");
	value_free(a);
}

static void test_acte_invalid(void)
{
	static const char *const bad[] = {
	    "",
	    "063-216300699-20251217-251217014",     /* four parts */
	    "063-216300699-20251217-251217014-XX",  /* nature */
	    "063-216300699-20251217-251217014-de",  /* lowercase nature */
	    "63-216300699-20251217-251217014-DE",   /* département */
	    "02C-216300699-20251217-251217014-DE",  /* Corsica is A or B */
	    "063-21630069-20251217-251217014-DE",   /* SIREN 8 digits */
	    "063-216300699-20250230-251217014-DE",  /* no 30 February */
	    "063-216300699-20230229-251217014-DE",  /* not a leap year */
	    "063-216300699-2025121-251217014-DE",   /* date 7 digits */
	    "063-216300699-20251217--DE",           /* empty number */
	    "063-216300699-20251217-25 1217-DE",    /* space in number */
	    "063-216300699-20251217-251217014-DE-", /* trailing dash */
	    "063-216300699-20251217-2512-17014-DE", /* six parts */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct value *a = render_acte_parse(bad[i]);

		if (a)
			fprintf(stderr, "accepted: %s\n", bad[i]);
		CHECK(a == NULL);
		value_free(a);
	}
	CHECK(render_acte_parse(NULL) == NULL);
}

int main(void)
{
	RUN(test_acte_valid);
	RUN(test_acte_invalid);
	TEST_END();
}
