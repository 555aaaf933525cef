/** Where the admin REST API lives; the version is in the path so that v2 can live beside it. */
export const API_PREFIX = 'api/v1';
