import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** The dashboard's pages, parsed from `location.pathname` (the admin app serves the page for any of them). */
export type Route =
  | { readonly page: 'tenants' }
  | { readonly page: 'tenant'; readonly slug: string; readonly section: TenantSection }
  | { readonly page: 'not-found' };

export const TENANT_SECTIONS = ['origins', 'policy', 'traffic', 'check', 'history', 'audit', 'keys', 'settings'] as const;
export type TenantSection = (typeof TENANT_SECTIONS)[number];

export function parseRoute(pathname: string): Route {
  const segments = pathname.split('/').filter((segment) => segment !== '').map(safeDecode);
  if (segments.length === 0) return { page: 'tenants' };
  if (segments[0] === 'tenants' && segments.length === 1) return { page: 'tenants' };
  if (segments[0] === 'tenants' && segments[1] && segments.length <= 3) {
    const section = segments[2] ?? 'origins';
    if ((TENANT_SECTIONS as readonly string[]).includes(section)) {
      return { page: 'tenant', slug: segments[1], section: section as TenantSection };
    }
  }
  return { page: 'not-found' };
}

export function tenantHref(slug: string, section: TenantSection = 'origins'): string {
  const base = `/tenants/${encodeURIComponent(slug)}`;
  return section === 'origins' ? base : `${base}/${section}`;
}

export function navigate(href: string): void {
  if (href === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** The current route, following links and the back button. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}

interface LinkProps {
  readonly href: string;
  readonly children: ComponentChildren;
  readonly class?: string;
  readonly 'aria-current'?: 'page' | undefined;
}

/** An ordinary link (open in a new tab works) that navigates in place on a plain click. */
export function Link({ href, children, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
