/** What shows while a screen's code arrives: plain markup, so it needs nothing that is still loading. */
export function Loading() {
  return (
    <div role="status" aria-live="polite" style={{ padding: 48, textAlign: 'center', color: 'rgba(0,0,0,0.68)' }}>
      加载中…
    </div>
  );
}
