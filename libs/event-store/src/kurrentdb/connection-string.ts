/**
 * Which event store a process appends to. PostgreSQL is the default (and the embedded development path); KurrentDB is
 * chosen with `EVENT_STORE=kurrentdb` and `KURRENTDB_URL`. Read models, checkpoints, the directory and the Merkle log
 * stay in PostgreSQL either way.
 */
export type EventStoreSelection = { kind: 'postgres' } | { kind: 'kurrentdb'; url: KurrentDbUrl };

export interface KurrentDbUrl {
  /** What the client is given: the URL as written, with a deprecated `esdb` scheme renamed. */
  connectionString: string;
  /** The same with the password masked, for logs and error messages. */
  redacted: string;
  dnsDiscover: boolean;
  hosts: ReadonlyArray<{ address: string; port: number }>;
  username: string | null;
  tls: boolean;
}

/** A configuration mistake: the process refuses to start and says which variable is wrong and how. */
export class EventStoreConfigurationError extends Error {
  constructor(
    readonly code: 'EVENT_STORE_UNKNOWN' | 'KURRENTDB_URL_MISSING' | 'KURRENTDB_URL_INVALID',
    readonly variable: 'EVENT_STORE' | 'KURRENTDB_URL',
    message: string,
  ) {
    super(`${message} (${code})`);
    this.name = 'EventStoreConfigurationError';
  }
}

const SCHEMES: Record<string, { dnsDiscover: boolean }> = {
  kurrentdb: { dnsDiscover: false },
  'kurrentdb+discover': { dnsDiscover: true },
  kurrent: { dnsDiscover: false },
  'kurrent+discover': { dnsDiscover: true },
  kdb: { dnsDiscover: false },
  'kdb+discover': { dnsDiscover: true },
  // The EventStoreDB names: accepted and renamed, so the client does not print its deprecation to the console.
  esdb: { dnsDiscover: false },
  'esdb+discover': { dnsDiscover: true },
};

type OptionKind = 'boolean' | 'integer' | 'text' | 'nodePreference';

/** The client's connection-string options (flat case, as it matches them), and what each takes. */
const OPTIONS: Record<string, OptionKind> = {
  tls: 'boolean',
  tlsverifycert: 'boolean',
  tlscafile: 'text',
  usercertfile: 'text',
  userkeyfile: 'text',
  connectionname: 'text',
  nodepreference: 'nodePreference',
  maxdiscoverattempts: 'integer',
  defaultdeadline: 'integer',
  discoveryinterval: 'integer',
  gossiptimeout: 'integer',
  keepaliveinterval: 'integer',
  keepalivetimeout: 'integer',
  throwonappendfailure: 'boolean',
};

const NODE_PREFERENCES = ['leader', 'follower', 'readonlyreplica', 'random'];

const flat = (key: string): string => key.trim().toLowerCase().replace(/[_-]/g, '');

function invalid(message: string): EventStoreConfigurationError {
  return new EventStoreConfigurationError('KURRENTDB_URL_INVALID', 'KURRENTDB_URL', `KURRENTDB_URL 无效：${message}`);
}

/**
 * Checks a KurrentDB connection string the way the client will read it, and refuses what the client would only warn
 * about on the console (an unknown option is ignored there, silently dropping, say, `tls=false`). Errors never echo a
 * password.
 */
export function parseKurrentDbUrl(raw: string | undefined): KurrentDbUrl {
  const text = (raw ?? '').trim();
  if (!text) {
    throw new EventStoreConfigurationError(
      'KURRENTDB_URL_MISSING',
      'KURRENTDB_URL',
      'EVENT_STORE=kurrentdb 需要 KURRENTDB_URL（例如 kurrentdb://admin:changeit@localhost:2113?tls=false）',
    );
  }
  const schemeMatch = /^([a-z+]+):\/\//i.exec(text);
  const scheme = schemeMatch?.[1].toLowerCase();
  if (!scheme || !SCHEMES[scheme]) {
    throw invalid(`协议应为 kurrentdb:// 或 kurrentdb+discover://，实际为 “${schemeMatch ? `${schemeMatch[1]}://` : text.slice(0, 16)}”`);
  }
  const afterScheme = text.slice(schemeMatch![0].length).replace(/\/+$/, '');
  const renamed = scheme.startsWith('esdb') ? scheme.replace('esdb', 'kurrentdb') : scheme;

  // The client's grammar: an optional `user:password@` (no ':' in the user, no '@' in the password), then hosts.
  let rest = afterScheme;
  let username: string | null = null;
  let redactedCredentials = '';
  const credentials = /^([^:@/?,]*):([^@]*)@/.exec(rest);
  const hostEnd = rest.search(/[?]/) === -1 ? rest.length : rest.search(/[?]/);
  if (credentials) {
    if (!credentials[1] || !credentials[2]) throw invalid('用户名和密码应写作 用户名:密码@主机');
    username = safeDecode(credentials[1], '用户名');
    safeDecode(credentials[2], '密码');
    redactedCredentials = `${credentials[1]}:***@`;
    rest = rest.slice(credentials[0].length);
  } else if (rest.slice(0, hostEnd).includes('@')) {
    throw invalid('用户名和密码应写作 用户名:密码@主机');
  }

  const queryAt = rest.indexOf('?');
  const hostPart = (queryAt === -1 ? rest : rest.slice(0, queryAt)).replace(/\/+$/, '');
  const query = queryAt === -1 ? '' : rest.slice(queryAt + 1);
  if (!hostPart) throw invalid('缺少主机（例如 localhost:2113）');
  const hosts = hostPart.split(',').map((h) => parseHost(h.trim()));

  let tls = true;
  if (query) {
    for (const pair of query.split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0 || eq === pair.length - 1) throw invalid(`参数 “${pair}” 应写作 键=值`);
      const key = pair.slice(0, eq);
      const value = pair.slice(eq + 1).trim();
      const kind = OPTIONS[flat(key)];
      if (!kind) throw invalid(`未知参数 “${key}”（可用：tls、tlsVerifyCert、tlsCAFile、nodePreference、defaultDeadline 等）`);
      checkOption(key, kind, value);
      if (flat(key) === 'tls') tls = value === 'true';
    }
  }

  return {
    connectionString: `${renamed}://${afterScheme}`,
    redacted: `${renamed}://${redactedCredentials}${rest}`,
    dnsDiscover: SCHEMES[scheme].dnsDiscover,
    hosts,
    username,
    tls,
  };
}

function parseHost(host: string): { address: string; port: number } {
  if (!host) throw invalid('主机列表中有空项（多个主机以逗号分隔）');
  const parts = host.split(':');
  if (parts.length > 2) throw invalid(`主机 “${host}” 应写作 主机名:端口`);
  const [address, rawPort] = parts;
  if (!address || /[$+!?*'(),;[\]{}|"%~#<>=&@\s]/.test(address)) throw invalid(`主机名 “${address}” 无效`);
  if (rawPort === undefined) return { address, port: 2113 };
  if (!/^\d{1,5}$/.test(rawPort) || Number(rawPort) < 1 || Number(rawPort) > 65535) {
    throw invalid(`端口 “${rawPort}” 应为 1–65535 的整数`);
  }
  return { address, port: Number(rawPort) };
}

function checkOption(key: string, kind: OptionKind, value: string): void {
  switch (kind) {
    case 'boolean':
      if (value !== 'true' && value !== 'false') throw invalid(`参数 ${key} 应为 true 或 false，实际为 “${value}”`);
      return;
    case 'integer':
      if (!/^\d+$/.test(value)) throw invalid(`参数 ${key} 应为非负整数（毫秒或次数），实际为 “${value}”`);
      return;
    case 'nodePreference':
      if (!NODE_PREFERENCES.includes(flat(value))) throw invalid(`参数 ${key} 应为 leader、follower、readOnlyReplica 或 random，实际为 “${value}”`);
      return;
    case 'text':
      safeDecode(value, `参数 ${key}`);
      return;
    default: {
      const never: never = kind;
      throw new Error(`unknown option kind ${String(never)}`);
    }
  }
}

function safeDecode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid(`${what}中的百分号编码无效`);
  }
}

/** `EVENT_STORE` (default `postgres`) and, for `kurrentdb`, a valid `KURRENTDB_URL`. */
export function selectEventStore(env: NodeJS.ProcessEnv = process.env): EventStoreSelection {
  const kind = (env.EVENT_STORE ?? '').trim().toLowerCase() || 'postgres';
  if (kind === 'postgres' || kind === 'postgresql') return { kind: 'postgres' };
  if (kind === 'kurrentdb') return { kind: 'kurrentdb', url: parseKurrentDbUrl(env.KURRENTDB_URL) };
  throw new EventStoreConfigurationError(
    'EVENT_STORE_UNKNOWN',
    'EVENT_STORE',
    `EVENT_STORE 应为 postgres（默认）或 kurrentdb，实际为 “${env.EVENT_STORE}”`,
  );
}
