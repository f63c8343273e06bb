/* kg_test.h - a tiny test runner: one binary per module topic, one CTest test.
 *
 * A test file defines test functions and a KG_TEST_LIST table; main() runs
 * every case, or the one named by `-s name`. Assertions print file:line and
 * the failing expression, count failures, and return from the case.
 * The last line printed is "N passed, N failed".
 */
#ifndef KG_TEST_H
#define KG_TEST_H

#include <stdio.h>
#include <string.h>

typedef struct {
    const char *name;
    void (*fn)(void);
} kg_test_case;

static int kg_test_failed_;

#define kg_assert(cond)                                                       \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__,       \
                    __LINE__, #cond);                                         \
            kg_test_failed_ = 1;                                              \
            return;                                                           \
        }                                                                     \
    } while (0)

#define kg_assert_int(a, b)                                                   \
    do {                                                                      \
        long long a_ = (long long)(a), b_ = (long long)(b);                   \
        if (a_ != b_) {                                                       \
            fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n", __FILE__,  \
                    __LINE__, #a, a_, b_);                                    \
            kg_test_failed_ = 1;                                              \
            return;                                                           \
        }                                                                     \
    } while (0)

#define kg_assert_str(a, b)                                                   \
    do {                                                                      \
        const char *a_ = (a), *b_ = (b);                                      \
        if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {                \
            fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n",        \
                    __FILE__, __LINE__, #a, a_ ? a_ : "(null)",              \
                    b_ ? b_ : "(null)");                                      \
            kg_test_failed_ = 1;                                              \
            return;                                                           \
        }                                                                     \
    } while (0)

#define KG_TEST_LIST static const kg_test_case kg_tests_[]

#define KG_TEST_MAIN                                                          \
    int main(int argc, char **argv)                                           \
    {                                                                         \
        int passed = 0, failed = 0;                                           \
        const char *only = (argc > 2 && strcmp(argv[1], "-s") == 0)           \
                               ? argv[2] : NULL;                              \
        for (size_t i = 0; kg_tests_[i].name; i++) {                          \
            if (only && strcmp(only, kg_tests_[i].name) != 0) continue;       \
            kg_test_failed_ = 0;                                              \
            kg_tests_[i].fn();                                                \
            if (kg_test_failed_) {                                            \
                failed++;                                                     \
                fprintf(stderr, "FAIL %s\n", kg_tests_[i].name);              \
            } else {                                                          \
                passed++;                                                     \
            }                                                                 \
        }                                                                     \
        printf("%d passed, %d failed\n", passed, failed);                     \
        return failed ? 1 : 0;                                                \
    }

#endif /* KG_TEST_H */
