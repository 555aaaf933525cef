/** Set by the global setup: a URL of the test server's maintenance database. */
export const TEST_SERVER_URL_VARIABLE = 'CORSMESH_TEST_SERVER_URL';
