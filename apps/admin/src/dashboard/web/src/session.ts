/**
 * The signed-in token lives in sessionStorage: it survives a reload but not the closing of
 * the tab, and it is never put in a URL (where it would reach history, logs and referrers).
 */
const TOKEN_KEY = 'corsmesh.admin.token';

export function storedToken(): string | null {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    // Storage disabled by the browser: the session lasts as long as the page.
    return null;
  }
}

export function storeToken(token: string): void {
  try {
    window.sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage disabled: see storedToken.
  }
}

export function forgetToken(): void {
  try {
    window.sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage disabled: nothing was kept.
  }
}
