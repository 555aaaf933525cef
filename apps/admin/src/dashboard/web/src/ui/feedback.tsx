import type { ComponentChildren } from 'preact';
import { messageOf } from '../api/api-error.js';

/** An error the person should read now; announced by screen readers. */
export function ErrorNotice({ error, title, children }: { error: unknown; title?: string; children?: ComponentChildren }) {
  return (
    <div class="notice notice-error" role="alert">
      {title ? <strong class="notice-title">{title}</strong> : null}
      <p>{messageOf(error)}</p>
      {children}
    </div>
  );
}

/** A confirmation that something worked; announced politely. */
export function SuccessNotice({ children }: { children: ComponentChildren }) {
  return (
    <div class="notice notice-success" role="status">
      {children}
    </div>
  );
}

export function Loading({ label }: { label: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children ? <p class="empty-hint">{children}</p> : null}
    </div>
  );
}

/** A `<time>` in the reader's locale, with the exact instant on hover. */
export function Timestamp({ iso }: { iso: string }) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return <span>{iso}</span>;
  return (
    <time dateTime={iso} title={date.toISOString()}>
      {date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })}
    </time>
  );
}
