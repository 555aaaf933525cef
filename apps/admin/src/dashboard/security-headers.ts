/**
 * What the admin's pages (the dashboard and Swagger UI at `/docs`) send with every file: each
 * page runs only its own bundled script and style and talks only to this origin's API, so an
 * injected `<script>` or inline handler (say, in a tenant's name) could not run even if one
 * ever reached the DOM, and no other site may frame it. https://www.w3.org/TR/CSP3/
 */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
    "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};
