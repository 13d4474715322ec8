// A real OpenID Connect provider (oidc-provider) for the single sign-on tests, in its own Node process because the
// package is ES modules only. Its development login screen accepts any password for the account id typed in.
// Configuration comes from OIDC_TEST_CONFIG (JSON: clientId, clientSecret, redirectUri, accounts); it prints
// "READY <issuer>" once listening and stops on SIGTERM.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const { clientId, clientSecret, redirectUri, accounts } = JSON.parse(process.env.OIDC_TEST_CONFIG);
const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: { openid: ['sub'], phone: ['phone_number', 'phone_number_verified'] },
  async findAccount(_ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  cookies: { keys: ['duban-test-cookie-key'] },
  features: { devInteractions: { enabled: true } },
});
server.on('request', provider.callback());
process.stdout.write(`READY ${issuer}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
