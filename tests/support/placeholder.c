/* Keeps the test-support library non-empty before any helper is added. */
int coplan_test_support_placeholder;
