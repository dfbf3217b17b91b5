import { parseArgs } from 'node:util';
import { developmentTokenSecret, mintToken } from '@gongzhi/gateway';
import { gatewayEnvShape } from '@gongzhi/gateway/env';
import { loadEnvOrExit, roles, type Role } from '@gongzhi/kit';

/**
 * `npm run token -- --role <role> [--org <organisation id>] [--dept <department>] [--scope "<scope> ..."]
 * [--sub <subject>] [--expires 8h]`: a development token for the gateway, signed with JWT_SECRET (or the
 * development secret) for JWT_ISSUER and JWT_AUDIENCE. Printed alone on stdout, for `$(npm run -s token …)`.
 */
const usage = `usage: npm run token -- --role <${roles.join('|')}> [--org <organisation id>] [--dept <department>] [--scope "<scope> ..."] [--sub <subject>] [--expires 8h]`;
let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      role: { type: 'string' },
      org: { type: 'string' },
      dept: { type: 'string' },
      scope: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string' },
    },
    strict: true,
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(1);
}
if (!roles.includes(values.role as Role) || values.role === 'public') {
  console.error(`--role must be one of ${roles.filter((r) => r !== 'public').join(', ')} (the public needs no token)\n${usage}`);
  process.exit(1);
}
if (values.role === 'partner' && !values.org) {
  console.error(`a partner token names its organisation: --org <organisation id>\n${usage}`);
  process.exit(1);
}
if (values.expires && !/^\d+[smhd]$/.test(values.expires)) {
  console.error(`--expires takes a number and a unit, e.g. 30m, 8h, 7d\n${usage}`);
  process.exit(1);
}
const env = loadEnvOrExit('token', gatewayEnvShape);
if (env.JWT_PUBLIC_KEY_FILE || env.JWT_JWKS_URL) {
  console.error('the gateway verifies tokens of an identity provider (JWT_PUBLIC_KEY_FILE / JWT_JWKS_URL): ask it for a token');
  process.exit(1);
}
console.log(
  await mintToken(
    {
      role: values.role as Role,
      subject: values.sub,
      organisationId: values.org,
      department: values.dept,
      scopes: values.scope?.split(/\s+/).filter(Boolean),
      expiresIn: values.expires,
    },
    env.JWT_SECRET ?? developmentTokenSecret,
    env.JWT_ISSUER,
    env.JWT_AUDIENCE,
  ),
);
