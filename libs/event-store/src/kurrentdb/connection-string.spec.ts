import { EventStoreConfigurationError, parseKurrentDbUrl, selectEventStore } from './connection-string';

function refusal(run: () => unknown): EventStoreConfigurationError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(EventStoreConfigurationError);
    return err as EventStoreConfigurationError;
  }
  throw new Error('expected a configuration error');
}

describe('EVENT_STORE selection', () => {
  it('is PostgreSQL by default, and when asked for by name', () => {
    expect(selectEventStore({})).toEqual({ kind: 'postgres' });
    expect(selectEventStore({ EVENT_STORE: ' ' })).toEqual({ kind: 'postgres' });
    expect(selectEventStore({ EVENT_STORE: 'PostgreSQL' })).toEqual({ kind: 'postgres' });
  });

  it('selects KurrentDB with its URL', () => {
    const s = selectEventStore({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://localhost:2113?tls=false' });
    expect(s.kind).toBe('kurrentdb');
    if (s.kind !== 'kurrentdb') return;
    expect(s.url).toMatchObject({ connectionString: 'kurrentdb://localhost:2113?tls=false', tls: false, dnsDiscover: false });
    expect(s.url.hosts).toEqual([{ address: 'localhost', port: 2113 }]);
  });

  it('refuses an unknown store, naming the variable and what it takes', () => {
    const err = refusal(() => selectEventStore({ EVENT_STORE: 'mongodb' }));
    expect(err.code).toBe('EVENT_STORE_UNKNOWN');
    expect(err.variable).toBe('EVENT_STORE');
    expect(err.message).toBe('EVENT_STORE 应为 postgres（默认）或 kurrentdb，实际为 “mongodb” (EVENT_STORE_UNKNOWN)');
  });

  it('refuses kurrentdb without a URL, with an example of one', () => {
    const err = refusal(() => selectEventStore({ EVENT_STORE: 'kurrentdb' }));
    expect(err.code).toBe('KURRENTDB_URL_MISSING');
    expect(err.variable).toBe('KURRENTDB_URL');
    expect(err.message).toMatch(/^EVENT_STORE=kurrentdb 需要 KURRENTDB_URL（例如 kurrentdb:\/\/.+） \(KURRENTDB_URL_MISSING\)$/);
  });
});

describe('KURRENTDB_URL validation', () => {
  it('reads credentials, several hosts with default ports, discovery and options', () => {
    const url = parseKurrentDbUrl('kurrentdb+discover://admin:s%40cret@node1:2113,node2,node3:2115?tls=true&nodePreference=follower/');
    expect(url.dnsDiscover).toBe(true);
    expect(url.username).toBe('admin');
    expect(url.hosts).toEqual([
      { address: 'node1', port: 2113 },
      { address: 'node2', port: 2113 },
      { address: 'node3', port: 2115 },
    ]);
    expect(url.tls).toBe(true);
    expect(url.connectionString).toBe('kurrentdb+discover://admin:s%40cret@node1:2113,node2,node3:2115?tls=true&nodePreference=follower');
    expect(url.redacted).toBe('kurrentdb+discover://admin:***@node1:2113,node2,node3:2115?tls=true&nodePreference=follower');
  });

  it('renames the deprecated esdb scheme so the client never warns on the console', () => {
    expect(parseKurrentDbUrl('esdb://localhost:2113?tls=false').connectionString).toBe('kurrentdb://localhost:2113?tls=false');
    expect(parseKurrentDbUrl('esdb+discover://cluster.dns').connectionString).toBe('kurrentdb+discover://cluster.dns');
  });

  it.each([
    ['http://localhost:2113', '协议应为 kurrentdb:// 或 kurrentdb+discover://，实际为 “http://”'],
    ['localhost:2113', '协议应为 kurrentdb:// 或 kurrentdb+discover://'],
    ['kurrentdb://', '缺少主机'],
    ['kurrentdb://localhost:21x3', '端口 “21x3” 应为 1–65535 的整数'],
    ['kurrentdb://localhost:70000', '端口 “70000” 应为 1–65535 的整数'],
    ['kurrentdb://a:1:2', '主机 “a:1:2” 应写作 主机名:端口'],
    ['kurrentdb://node1,,node2', '主机列表中有空项'],
    ['kurrentdb://admin@localhost', '用户名和密码应写作 用户名:密码@主机'],
    ['kurrentdb://admin:@localhost', '用户名和密码应写作 用户名:密码@主机'],
    ['kurrentdb://localhost?tls=no', '参数 tls 应为 true 或 false，实际为 “no”'],
    ['kurrentdb://localhost?tlsVerifyCert', '参数 “tlsVerifyCert” 应写作 键=值'],
    ['kurrentdb://localhost?defaultDeadline=soon', '参数 defaultDeadline 应为非负整数'],
    ['kurrentdb://localhost?nodePreference=nearest', '参数 nodePreference 应为 leader、follower、readOnlyReplica 或 random'],
    ['kurrentdb://localhost?tsl=false', '未知参数 “tsl”'],
  ])('refuses %s with a clear reason', (raw, reason) => {
    const err = refusal(() => parseKurrentDbUrl(raw));
    expect(err.code).toBe('KURRENTDB_URL_INVALID');
    expect(err.message.startsWith(`KURRENTDB_URL 无效：${reason}`)).toBe(true);
    expect(err.message.endsWith('(KURRENTDB_URL_INVALID)')).toBe(true);
  });

  it('never echoes a password in an error', () => {
    const err = refusal(() => parseKurrentDbUrl('kurrentdb://admin:topsecret@localhost?tls=maybe'));
    expect(err.message).not.toContain('topsecret');
  });

  it('accepts option names in any case and with dashes, as the client does', () => {
    const url = parseKurrentDbUrl('kurrentdb://localhost?TLS=false&tls-verify-cert=false&keep_alive_interval=10000');
    expect(url.tls).toBe(false);
  });
});
