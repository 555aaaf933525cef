import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from './api/api-client.js';
import { ApiContext } from './api/api-context.js';
import { SignInPage } from './pages/sign-in-page.js';
import { TenantPage } from './pages/tenant-page.js';
import { TenantsPage } from './pages/tenants-page.js';
import { Link, type Route, useRoute } from './router.js';
import { forgetToken, storedToken, storeToken } from './session.js';

/** The dashboard: sign-in, then the tenants list and each tenant's page. */
export function App() {
  const [token, setToken] = useState(storedToken);
  const [signOutReason, setSignOutReason] = useState<string | null>(null);
  const route = useRoute();

  const api = useMemo(
    () =>
      token === null
        ? null
        : new ApiClient(token, () => {
            forgetToken();
            setToken(null);
            setSignOutReason('The API no longer accepts your token (it may have been revoked or changed). Sign in again.');
          }),
    [token],
  );

  useFocusOnNavigation(route);

  const signIn = (newToken: string) => {
    storeToken(newToken);
    setSignOutReason(null);
    setToken(newToken);
  };
  const signOut = () => {
    forgetToken();
    setSignOutReason('You are signed out.');
    setToken(null);
  };

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href="/" class="brand">
          <span class="brand-mark" aria-hidden="true" />
          corsmesh <span class="brand-sub">admin</span>
        </Link>
        {api ? (
          <nav aria-label="Main" class="topbar-nav">
            <Link href="/" aria-current={route.page === 'tenants' ? 'page' : undefined}>
              Tenants
            </Link>
            <a href="/docs" target="_blank" rel="noopener">
              API docs
            </a>
            <button type="button" class="button button-quiet" onClick={signOut}>
              Sign out
            </button>
          </nav>
        ) : null}
      </header>
      <main id="main" tabIndex={-1}>
        {api === null ? (
          <SignInPage onSignedIn={signIn} notice={signOutReason} />
        ) : (
          <ApiContext.Provider value={api}>
            <Page route={route} />
          </ApiContext.Provider>
        )}
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'tenants':
      return <TenantsPage />;
    case 'tenant':
      return <TenantPage key={route.slug} slug={route.slug} section={route.section} />;
    case 'not-found':
      return (
        <section class="page">
          <h1 tabIndex={-1}>Page not found</h1>
          <p>
            There is no dashboard page at this address. <Link href="/">Back to the tenants</Link>
          </p>
        </section>
      );
  }
}

/** After an in-page navigation, move focus to the new page's heading, as a page load would. */
function useFocusOnNavigation(route: Route) {
  const first = useRef(true);
  const key = JSON.stringify(route);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = document.querySelector<HTMLElement>('main h1');
    heading?.focus({ preventScroll: false });
  }, [key]);
}
