import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointText, verifyCheckpointSignature, signCheckpoint } from '@duban/event-store';
import { DEV_KEY_FILE, loadLogSigningKey } from './signing-key';

describe('log signing key', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'duban-keys-'));

  it('generates a development key on first start (0600) and reuses it afterwards', () => {
    const keys = join(dir(), 'keys');
    const first = loadLogSigningKey({}, keys);
    expect(first.source).toBe('development key (generated)');
    expect(statSync(join(keys, DEV_KEY_FILE)).mode & 0o777).toBe(0o600);
    const second = loadLogSigningKey({}, keys);
    expect(second.source).toBe('development key (reused)');
    expect(second.signer.keyId).toBe(first.signer.keyId);
    expect(first.signer.keyId).toMatch(/^[0-9a-f]{16}$/);
    const cp = signCheckpoint({ treeSize: 1, rootHash: 'ab'.repeat(32), timestamp: '2026-11-23T02:00:00.000Z' }, second.signer);
    expect(verifyCheckpointSignature(cp, first.signer.publicKeyPem)).toBe(true);
    expect(checkpointText(cp)).toContain('duban-log-v1');
  });

  it('takes DUBAN_LOG_SIGNING_KEY as a PKCS#8 PEM or the path of one, and refuses other key types', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const fromPem = loadLogSigningKey({ DUBAN_LOG_SIGNING_KEY: pem }, join(dir(), 'unused'));
    expect(fromPem.source).toBe('DUBAN_LOG_SIGNING_KEY (PEM)');
    const file = join(dir(), 'k.pem');
    writeFileSync(file, pem);
    const fromFile = loadLogSigningKey({ DUBAN_LOG_SIGNING_KEY: file }, join(dir(), 'unused'));
    expect(fromFile).toMatchObject({ source: 'DUBAN_LOG_SIGNING_KEY (file)', path: file });
    expect(fromFile.signer.keyId).toBe(fromPem.signer.keyId);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadLogSigningKey({ DUBAN_LOG_SIGNING_KEY: rsa })).toThrow(/Ed25519/);
    expect(() => loadLogSigningKey({ NODE_ENV: 'production' }, join(dir(), 'prod'))).toThrow(/production/);
    expect(readFileSync(file, 'utf8')).toBe(pem);
  });
});
