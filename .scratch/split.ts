process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { startRuntime } = await import('#local/runtime');
const runtime = await startRuntime({ port: 0, quiet: true });
try {
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${runtime.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${runtime.apiKey}` }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return res.json() as Promise<any>;
  };
  for (const round of [1, 2]) {
    const { id } = await api('POST', '/v1/campaigns', { name: 'x', brand: 'B', channel: 'email', sendAt: new Date(Date.now() + 7200_000).toISOString() });
    const t = performance.now();
    const r = await api('POST', `/v1/campaigns/${id}/recipients`, { recipients: Array.from({ length: 1000 }, (_, i) => ({ email: `s${i}.${id.toLowerCase()}@example.com` })) });
    const t1 = performance.now();
    for (;;) { const c = await api('GET', `/v1/campaigns/${id}`); if (c.counts.recipients === 1000) break; await new Promise((r) => setTimeout(r, 100)); }
    const t2 = performance.now();
    console.log(`round ${round}: accepted ${r.accepted} request ${((t1 - t) / 1000).toFixed(1)} s, counted after ${((t2 - t1) / 1000).toFixed(1)} s more`);
  }
} finally { await runtime.stop(); }
